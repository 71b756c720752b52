package com.orderexport.schedules;

/** Why a schedule request was refused: the field it names (for bad input) and what a client should read. */
public final class ScheduleProblem extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of refusal, which the API turns into a status. */
    public enum Kind { INVALID, NOT_FOUND, AT_LIMIT }

    private final Kind kind;

    public ScheduleProblem(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    /** Bad input in {@code data.<field>}: the detail starts with the field's path. */
    static ScheduleProblem invalid(String field, String why) {
        return new ScheduleProblem(Kind.INVALID, "data." + field + ": " + why);
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return getMessage();
    }
}
