package com.orderexport.filter;

/**
 * Signals a filter string that cannot be parsed; its {@link #detail()} is safe to return to the API client.
 */
public final class InvalidFilterException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Every detail starts with this, as Elastic Path's own error does, so clients can recognise it. */
    static final String PREFIX = "Could not parse the supplied filter";

    private final String detail;

    InvalidFilterException(String reason) {
        super(PREFIX + ": " + reason);
        this.detail = PREFIX + ": " + reason;
    }

    /** The client-facing explanation: {@value #PREFIX}, then {@code ": "} and what is wrong where. */
    public String detail() {
        return detail;
    }
}
