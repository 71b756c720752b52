package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.orders.Order;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.Orders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

class OrderCsvWriterPropertiesTest {

    /** Where each plain text column's value lives in an order document. */
    private static final Map<OrderColumn, String> TEXT_FIELDS = textFields();

    record Item(String sku, long quantity) {
    }

    /** An instant as an order may hold it: as Instant prints it, with all nine digits, or at an offset. */
    record Stamp(Instant instant, int form) {
        String text() {
            return switch (form) {
                case 0 -> instant.toString();
                case 1 -> DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC)
                        .format(instant);
                // Not OffsetDateTime.toString(): it drops ":00" seconds, a form Instant.parse refuses.
                default -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.ofHours(-5)));
            };
        }
    }

    record Row(String id, List<String> texts, List<Long> amounts, List<Item> items, Stamp createdStamp,
            Stamp updatedStamp) {
        Instant created() {
            return createdStamp.instant();
        }

        Instant updated() {
            return updatedStamp.instant();
        }

        String createdText() {
            return createdStamp.text();
        }

        String updatedText() {
            return updatedStamp.text();
        }
    }

    @Property(tries = 300)
    void write_roundTripsRandomTextInEveryField(@ForAll @Size(max = 5) List<@From("rows") Row> rows)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written;
        try (OrderCsvWriter writer = new OrderCsvWriter(out)) {
            for (Row row : rows) {
                writer.write(order(row));
            }
            written = writer.rowCount();
        }

        List<String[]> records = ExportedFile.parse(out.toByteArray());

        assertThat(written).isEqualTo(rows.size());
        assertThat(records).hasSize(rows.size() + 1);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(records.get(i + 1)).containsExactly(expected(rows.get(i)));
        }
    }

    @Provide
    Arbitrary<Row> rows() {
        Arbitrary<String> text = text();
        Arbitrary<Item> item = Combinators.combine(text, Arbitraries.longs().between(-1_000, 1_000)).as(Item::new);
        Arbitrary<Instant> instant = Combinators.combine(
                        Arbitraries.longs().between(0, 4_102_444_800L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
        Arbitrary<Stamp> stamp = Combinators.combine(instant, Arbitraries.integers().between(0, 2)).as(Stamp::new);
        return Combinators.combine(
                        text.filter(id -> !id.isBlank()),
                        text.list().ofSize(TEXT_FIELDS.size()),
                        Arbitraries.longs().list().ofSize(3),
                        item.list().ofMaxSize(4),
                        stamp,
                        stamp)
                .as(Row::new);
    }

    /**
     * Strings rich in what CSV and spreadsheets care about, plus any Unicode, plus lone surrogates (two of which,
     * generated side by side, may happen to make a pair).
     */
    private static Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(4, Arbitraries.of((int) ',', (int) '"', (int) '\r', (int) '\n', (int) '\t', (int) '=',
                        (int) '+', (int) '-', (int) '@', (int) '\'', (int) ';', (int) ' ', (int) '#')),
                Tuple.of(1, Arbitraries.integers().between(0, 0x1f)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xfffd)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)),
                Tuple.of(1, Arbitraries.integers().between(Character.MIN_SURROGATE, Character.MAX_SURROGATE)));
        return codePoint.list().ofMaxSize(12).map(codePoints -> {
            StringBuilder text = new StringBuilder();
            codePoints.forEach(text::appendCodePoint);
            return text.toString();
        });
    }

    private static Order order(Row row) {
        Orders.Builder order = Orders.order(row.id())
                .set("data.meta.timestamps.created_at", row.createdText())
                .set("data.meta.timestamps.updated_at", row.updatedText())
                .set("data.meta.display_price.with_tax.amount", row.amounts().get(0))
                .set("data.meta.display_price.without_tax.amount", row.amounts().get(1))
                .set("data.meta.display_price.tax.amount", row.amounts().get(2));
        int i = 0;
        for (String path : TEXT_FIELDS.values()) {
            order.set(path, row.texts().get(i++));
        }
        for (Item item : row.items()) {
            order.item(item.sku(), item.quantity());
        }
        return order.build();
    }

    private static String[] expected(Row row) {
        Map<OrderColumn, String> cells = new EnumMap<>(OrderColumn.class);
        int i = 0;
        for (OrderColumn column : TEXT_FIELDS.keySet()) {
            cells.put(column, textCell(row.texts().get(i++)));
        }
        cells.put(OrderColumn.ID, textCell(row.id()));
        cells.put(OrderColumn.WITH_TAX, row.amounts().get(0).toString());
        cells.put(OrderColumn.WITHOUT_TAX, row.amounts().get(1).toString());
        cells.put(OrderColumn.TAX, row.amounts().get(2).toString());
        long count = 0;
        StringJoiner skus = new StringJoiner(";");
        for (Item item : row.items()) {
            count += item.quantity();
            if (!item.sku().isBlank()) {
                skus.add(item.sku());
            }
        }
        cells.put(OrderColumn.ITEM_COUNT, Long.toString(count));
        cells.put(OrderColumn.SKUS, textCell(skus.toString()));
        cells.put(OrderColumn.CREATED_AT, timestampCell(row.created()));
        cells.put(OrderColumn.UPDATED_AT, timestampCell(row.updated()));
        assertThat(cells).hasSize(OrderColumn.values().length);
        return cells.values().toArray(String[]::new);
    }

    /** yyyy-MM-ddTHH:mm:ss.SSSZ, in UTC, finer digits cut off. */
    private static String timestampCell(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)
                .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS")) + "Z";
    }

    /** What a text field should read back as, written out here again rather than taken from the code under test. */
    private static String textCell(String value) {
        if (value.isBlank()) {
            return "";
        }
        String text = wellFormed(value);
        return "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    /** The text with each unpaired surrogate as U+FFFD, by the JDK's own UTF-8 encoder. */
    private static String wellFormed(String value) {
        try {
            return StandardCharsets.UTF_8.decode(StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .replaceWith("\uFFFD".getBytes(StandardCharsets.UTF_8))
                    .encode(CharBuffer.wrap(value))).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<OrderColumn, String> textFields() {
        Map<OrderColumn, String> fields = new EnumMap<>(OrderColumn.class);
        fields.put(OrderColumn.ORDER_NUMBER, "data.order_number");
        fields.put(OrderColumn.EXTERNAL_REF, "data.external_ref");
        fields.put(OrderColumn.STATUS, "data.status");
        fields.put(OrderColumn.PAYMENT, "data.payment");
        fields.put(OrderColumn.SHIPPING, "data.shipping");
        fields.put(OrderColumn.CUSTOMER_ID, "data.relationships.customer.data.id");
        fields.put(OrderColumn.CUSTOMER_NAME, "data.customer.name");
        fields.put(OrderColumn.CUSTOMER_EMAIL, "data.customer.email");
        fields.put(OrderColumn.ACCOUNT_ID, "data.relationships.account.data.id");
        fields.put(OrderColumn.ACCOUNT_MEMBER_ID, "data.relationships.account_member.data.id");
        fields.put(OrderColumn.CONTACT_NAME, "data.contact.name");
        fields.put(OrderColumn.CONTACT_EMAIL, "data.contact.email");
        fields.put(OrderColumn.CURRENCY, "data.meta.display_price.with_tax.currency");
        fields.put(OrderColumn.WITH_TAX_FORMATTED, "data.meta.display_price.with_tax.formatted");
        for (OrderColumn column : OrderColumn.values()) {
            String header = column.header();
            if (header.startsWith("shipping_")) {
                fields.put(column, "data.shipping_address." + header.substring("shipping_".length()));
            } else if (header.startsWith("billing_")) {
                fields.put(column, "data.billing_address." + header.substring("billing_".length()));
            }
        }
        return fields;
    }
}
