package com.orderexport.filter;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A comparison a filter term applies, spelled in the filter as its lowercase name. */
public enum Operator {
    EQ, LIKE, IN, GT, GE, LT, LE;

    private final String filterName = name().toLowerCase(java.util.Locale.ROOT);

    /** The operator as written in a filter, e.g. {@code eq}. */
    public String filterName() {
        return filterName;
    }

    /** The operator spelled exactly {@code name} (case-sensitive), if any. */
    public static Optional<Operator> forFilterName(String name) {
        return Arrays.stream(values()).filter(op -> op.filterName.equals(name)).findFirst();
    }

    static String supported() {
        return Arrays.stream(values()).map(Operator::filterName).collect(Collectors.joining(", "));
    }
}
