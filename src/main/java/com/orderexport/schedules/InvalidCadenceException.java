package com.orderexport.schedules;

/** A schedule's cadence that cannot be read: the field it names ({@code every}, {@code at}, {@code timezone}) and why. */
public final class InvalidCadenceException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidCadenceException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault, for the 400's source. */
    public String field() {
        return field;
    }
}
