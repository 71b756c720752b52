package com.orderexport.csv;

import com.orderexport.orders.OrderItem;
import java.util.function.Function;

/**
 * The columns an item-row CSV adds after the order's: one row per order item, as fulfilment and accounting read
 * an order. Text cells are guarded against formula injection as the order's are; numbers are written as they are.
 */
public enum ItemColumn {
    ITEM_ID("item_id", "Order item id.", false, OrderItem::id),
    ITEM_PRODUCT_ID("item_product_id", "Id of the product the item is.", false, OrderItem::productId),
    ITEM_SKU("item_sku", "The item's SKU.", false, OrderItem::sku),
    ITEM_NAME("item_name", "The item's name.", false, OrderItem::name),
    ITEM_QUANTITY("item_quantity", "How many were ordered.", true, item -> Long.toString(item.quantity())),
    ITEM_UNIT_AMOUNT("item_unit_amount", "Price of one, in the currency's minor unit (the item's unit_price.amount).",
            true, item -> item.unitAmount() == null ? null : item.unitAmount().toString()),
    ITEM_LINE_AMOUNT("item_line_amount", "Price of the line, in the currency's minor unit (the item's value.amount).",
            true, item -> item.lineAmount() == null ? null : item.lineAmount().toString());

    private final String header;
    private final String description;
    private final boolean numeric;
    private final Function<OrderItem, String> extractor;

    ItemColumn(String header, String description, boolean numeric, Function<OrderItem, String> extractor) {
        this.header = header;
        this.description = description;
        this.numeric = numeric;
        this.extractor = extractor;
    }

    public String header() {
        return header;
    }

    /** One line saying what the column holds, for docs/files.md. */
    public String description() {
        return description;
    }

    /** The cell for {@code item}; null (an empty cell) for an order without items or an absent value. */
    public String cell(OrderItem item) {
        if (item == null) {
            return null;
        }
        String value = extractor.apply(item);
        return numeric ? value : FormulaNeutraliser.neutralise(value);
    }
}
