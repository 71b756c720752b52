package com.orderexport.store;

import java.util.regex.Pattern;

/**
 * The id of the store a caller acts for. It becomes part of table keys and S3 object keys, so only a
 * conservative set of characters is let in.
 */
public record StoreId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public StoreId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a valid store id");
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
