package com.orderexport.orders;

/**
 * The fields of an order's {@code shipping_address} and {@code billing_address} that an export reads: a column
 * or a filter names one as a constant, so reading it is an array index, never a lookup by name.
 */
public enum AddressField {
    FIRST_NAME("first_name"),
    LAST_NAME("last_name"),
    COMPANY_NAME("company_name"),
    PHONE_NUMBER("phone_number"),
    LINE_1("line_1"),
    LINE_2("line_2"),
    CITY("city"),
    POSTCODE("postcode"),
    COUNTY("county"),
    REGION("region"),
    COUNTRY("country"),
    INSTRUCTIONS("instructions");

    private final String jsonName;

    AddressField(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The field's key in the address object, e.g. {@code postcode}. */
    public String jsonName() {
        return jsonName;
    }
}
