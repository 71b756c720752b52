package com.orderexport.webhooks;

/** A delivery that cannot be read as an order event; nothing is written for it. The message says why. */
public final class MalformedDeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedDeliveryException(String message) {
        super(message);
    }
}
