package com.orderexport.csv;

import com.orderexport.orders.Order;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which columns a CSV has, in which order, and the zone its two timestamp columns are written in. The default is
 * every column of {@link OrderColumn} in UTC: the file Elastic Path's clients get.
 *
 * @param columns  the columns, in the caller's order, none twice
 * @param zone     the zone of the {@code created_at}/{@code updated_at} cells; filters stay in UTC whatever it is
 * @param itemRows one row per order item (the order's columns repeated, then {@link ItemColumn}'s), not per order
 */
public record CsvLayout(List<OrderColumn> columns, ZoneId zone, boolean itemRows) {

    public static final CsvLayout DEFAULT = new CsvLayout(List.of(OrderColumn.values()), ZoneOffset.UTC, false);

    /** A row per order. */
    public CsvLayout(List<OrderColumn> columns, ZoneId zone) {
        this(columns, zone, false);
    }

    /** With a zone, an instant reads as local time and its offset, milliseconds kept: 2018-09-01T04:56:24.000+02:00. */
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    public CsvLayout {
        columns = List.copyOf(columns);
        Objects.requireNonNull(zone, "zone");
        if (columns.isEmpty() || columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("a layout needs columns, each once: " + columns);
        }
    }

    boolean inUtc() {
        return zone.normalized().equals(ZoneOffset.UTC);
    }

    /** The header cell: the column's name, and for a timestamp in another zone than UTC, the zone. */
    String header(OrderColumn column) {
        return isTimestamp(column) && !inUtc() ? column.header() + " (" + zone.getId() + ")" : column.header();
    }

    /** The cell of {@code column} for {@code order}, the timestamps in the layout's zone. */
    String cell(OrderColumn column, Order order) {
        if (inUtc() || !isTimestamp(column)) {
            return column.cell(order);
        }
        Instant instant = column == OrderColumn.CREATED_AT ? order.createdAt() : order.updatedAt();
        return instant == null ? null : ZONED.format(instant.atZone(zone));
    }

    private static boolean isTimestamp(OrderColumn column) {
        return column == OrderColumn.CREATED_AT || column == OrderColumn.UPDATED_AT;
    }

    /** The column whose header is {@code name}, if there is one. */
    public static java.util.Optional<OrderColumn> column(String name) {
        return Arrays.stream(OrderColumn.values()).filter(c -> c.header().equals(name)).findFirst();
    }
}
