package com.orderexport.filter;

import java.util.List;
import java.util.Objects;

/**
 * One {@code op(attribute,value)} condition of a filter, holding its values as written (trimmed, case kept).
 *
 * @param values one value, or for {@code in} one or more
 */
public record Term(Attribute attribute, Operator operator, List<String> values) {

    public Term {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a term needs at least one value");
        }
    }

    /** The term as a filter writes it, e.g. {@code in(status,complete,processing)}. */
    @Override
    public String toString() {
        return operator.filterName() + "(" + attribute.filterName() + "," + String.join(",", values) + ")";
    }
}
