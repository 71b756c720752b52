package com.orderexport.credentials;

/** A client id that already belongs to another store: ids are global, a store cannot take over another's. */
public final class ClientTakenException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClientTakenException(String clientId) {
        super("client " + clientId + " belongs to another store");
    }
}
