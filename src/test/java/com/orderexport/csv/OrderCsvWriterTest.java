package com.orderexport.csv;

import static com.orderexport.testing.ExportedFile.export;
import static com.orderexport.testing.ExportedFile.parse;
import static com.orderexport.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderexport.orders.Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderCsvWriterTest {

    private static final String HEADER = "id,order_number,external_ref,status,payment,shipping,customer_id,"
            + "customer_name,customer_email,account_id,account_member_id,contact_name,contact_email,currency,"
            + "with_tax,without_tax,tax,with_tax_formatted,item_count,skus,shipping_first_name,shipping_last_name,"
            + "shipping_company_name,shipping_phone_number,shipping_line_1,shipping_line_2,shipping_city,"
            + "shipping_postcode,shipping_county,shipping_region,shipping_country,shipping_instructions,"
            + "billing_first_name,billing_last_name,billing_company_name,billing_line_1,billing_line_2,billing_city,"
            + "billing_postcode,billing_county,billing_region,billing_country,created_at,updated_at";

    @Test
    void constructor_writesTheHeaderRowAtOnce() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OrderCsvWriter writer = new OrderCsvWriter(out);
        writer.flush();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(HEADER + "\r\n");
        assertThat(writer.rowCount()).isZero();
    }

    @Test
    void close_leavesAHeaderOnlyFileWhenNoOrderWasWritten() throws IOException {
        assertThat(new String(export(), StandardCharsets.UTF_8)).isEqualTo(HEADER + "\r\n");
    }

    @Test
    void write_fillsEveryColumnOfAFullOrder() throws IOException {
        Order full = order("ord-1")
                .set("data.order_number", "1001")
                .set("data.external_ref", "ext-9")
                .set("data.status", "complete")
                .set("data.payment", "paid")
                .set("data.shipping", "fulfilled")
                .set("data.relationships.customer.data.id", "cus-1")
                .set("data.customer.name", "Ada Lovelace")
                .set("data.customer.email", "ada@example.com")
                .set("data.relationships.account.data.id", "acc-1")
                .set("data.relationships.account_member.data.id", "mem-1")
                .set("data.contact.name", "Charles Babbage")
                .set("data.contact.email", "cb@example.com")
                .set("data.meta.display_price.with_tax", Map.of("amount", 1234, "currency", "USD",
                        "formatted", "$12.34"))
                .set("data.meta.display_price.without_tax", Map.of("amount", 1000, "currency", "USD"))
                .set("data.meta.display_price.tax", Map.of("amount", 234, "currency", "USD"))
                .set("data.meta.timestamps.updated_at", "2024-03-02T08:30:15.123Z")
                .set("data.shipping_address", Map.ofEntries(
                        Map.entry("first_name", "Ada"), Map.entry("last_name", "Lovelace"),
                        Map.entry("company_name", "Engines Ltd"), Map.entry("phone_number", "555 0100"),
                        Map.entry("line_1", "1 Main St"), Map.entry("line_2", "Flat 2"),
                        Map.entry("city", "London"), Map.entry("postcode", "N1 1AA"),
                        Map.entry("county", "Greater London"), Map.entry("region", "England"),
                        Map.entry("country", "GB"), Map.entry("instructions", "Leave at door")))
                .set("data.billing_address", Map.ofEntries(
                        Map.entry("first_name", "Charles"), Map.entry("last_name", "Babbage"),
                        Map.entry("company_name", "Difference Co"), Map.entry("line_1", "2 High St"),
                        Map.entry("line_2", "Unit 3"), Map.entry("city", "Cambridge"),
                        Map.entry("postcode", "CB1 1AA"), Map.entry("county", "Cambridgeshire"),
                        Map.entry("region", "East"), Map.entry("country", "GB")))
                .item("SKU-A", 2)
                .item("SKU-B", 1)
                .build();

        List<String[]> rows = parse(export(full));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).containsExactly(
                "ord-1", "1001", "ext-9", "complete", "paid", "fulfilled", "cus-1",
                "Ada Lovelace", "ada@example.com", "acc-1", "mem-1", "Charles Babbage", "cb@example.com", "USD",
                "1234", "1000", "234", "$12.34", "3", "SKU-A;SKU-B",
                "Ada", "Lovelace", "Engines Ltd", "555 0100", "1 Main St", "Flat 2", "London", "N1 1AA",
                "Greater London", "England", "GB", "Leave at door",
                "Charles", "Babbage", "Difference Co", "2 High St", "Unit 3", "Cambridge", "CB1 1AA",
                "Cambridgeshire", "East", "GB",
                "2024-03-01T12:00:00Z", "2024-03-02T08:30:15.123Z");
    }

    @Test
    void write_leavesMissingOptionalFieldsEmpty() throws IOException {
        List<String[]> rows = parse(export(order("ord-2").build()));

        String[] expected = new String[OrderColumn.values().length];
        Arrays.fill(expected, "");
        expected[OrderColumn.ID.ordinal()] = "ord-2";
        expected[OrderColumn.ITEM_COUNT.ordinal()] = "0";
        expected[OrderColumn.CREATED_AT.ordinal()] = "2024-03-01T12:00:00Z";
        assertThat(rows.get(1)).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2024-03-01T12:00:00.000Z|2024-03-01T12:00:00Z",
        "2024-03-01T12:00:00.5Z|2024-03-01T12:00:00.500Z",
        "2024-03-01T13:00:00+01:00|2024-03-01T12:00:00Z",
        "2024-03-01T12:00:00.153Z|2024-03-01T12:00:00.153Z"})
    void write_printsTimestampsAsInstantDoes(String received, String written) throws IOException {
        Order order = order("ord-t")
                .set("data.meta.timestamps.created_at", received)
                .set("data.meta.timestamps.updated_at", received)
                .build();

        String[] row = parse(export(order)).get(1);

        assertThat(row[OrderColumn.CREATED_AT.ordinal()]).isEqualTo(written);
        assertThat(row[OrderColumn.UPDATED_AT.ordinal()]).isEqualTo(written);
    }

    @Test
    void write_leavesAnUnparsableUpdateTimeEmpty() throws IOException {
        Order order = order("ord-u").set("data.meta.timestamps.updated_at", "yesterday").build();

        assertThat(parse(export(order)).get(1)[OrderColumn.UPDATED_AT.ordinal()]).isEmpty();
    }

    @Test
    void write_quotesCellsWithCommasQuotesAndNewlines() throws IOException {
        Order tricky = order("ord-3")
                .set("data.customer.name", "Smith, John")
                .set("data.external_ref", "say \"hi\"")
                .set("data.shipping_address.line_1", "line one\r\nline two")
                .set("data.shipping_address.line_2", "lf\nonly")
                .set("data.shipping_address.instructions", "cr\ronly")
                .build();

        byte[] csv = export(tricky);
        String text = new String(csv, StandardCharsets.UTF_8);
        String[] row = parse(csv).get(1);

        assertThat(text).contains("\"Smith, John\"", "\"say \"\"hi\"\"\"", "\"line one\r\nline two\"");
        assertThat(row[OrderColumn.CUSTOMER_NAME.ordinal()]).isEqualTo("Smith, John");
        assertThat(row[OrderColumn.EXTERNAL_REF.ordinal()]).isEqualTo("say \"hi\"");
        assertThat(row[OrderColumn.SHIPPING_LINE_1.ordinal()]).isEqualTo("line one\r\nline two");
        assertThat(row[OrderColumn.SHIPPING_LINE_2.ordinal()]).isEqualTo("lf\nonly");
        assertThat(row[OrderColumn.SHIPPING_INSTRUCTIONS.ordinal()]).isEqualTo("cr\ronly");
        assertThat(row).hasSize(OrderColumn.values().length);
    }

    @Test
    void write_keepsNonAsciiTextAsUtf8() throws IOException {
        Order international = order("ord-4")
                .set("data.customer.name", "Renée Müller")
                .set("data.billing_address.city", "北京市")
                .set("data.shipping_address.instructions", "Ring twice 🔔👍")
                .build();

        byte[] csv = export(international);
        String[] row = parse(csv).get(1);

        assertThat(new String(csv, StandardCharsets.UTF_8)).contains("Renée Müller", "北京市", "🔔👍");
        assertThat(row[OrderColumn.CUSTOMER_NAME.ordinal()]).isEqualTo("Renée Müller");
        assertThat(row[OrderColumn.BILLING_CITY.ordinal()]).isEqualTo("北京市");
        assertThat(row[OrderColumn.SHIPPING_INSTRUCTIONS.ordinal()]).isEqualTo("Ring twice 🔔👍");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+2", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"})
    void write_neutralisesFormulaLikeText(String formula) throws IOException {
        Order hostile = order("ord-5")
                .set("data.customer.name", formula)
                .set("data.shipping_address.city", formula + " town")
                .item(formula, 1)
                .build();

        String[] row = parse(export(hostile)).get(1);

        assertThat(row[OrderColumn.CUSTOMER_NAME.ordinal()]).isEqualTo("'" + formula);
        assertThat(row[OrderColumn.SHIPPING_CITY.ordinal()]).isEqualTo("'" + formula + " town");
        assertThat(row[OrderColumn.SKUS.ordinal()]).isEqualTo("'" + formula);
    }

    @Test
    void write_leavesTextWithATriggerCharacterLaterOn() throws IOException {
        Order harmless = order("ord-6").set("data.customer.name", "a=b").set("data.external_ref", "x-1").build();

        String[] row = parse(export(harmless)).get(1);

        assertThat(row[OrderColumn.CUSTOMER_NAME.ordinal()]).isEqualTo("a=b");
        assertThat(row[OrderColumn.EXTERNAL_REF.ordinal()]).isEqualTo("x-1");
    }

    @Test
    void write_neverAltersNegativeAmounts() throws IOException {
        Order refund = order("ord-7")
                .set("data.meta.display_price.with_tax", Map.of("amount", -150, "currency", "USD",
                        "formatted", "-$1.50"))
                .set("data.meta.display_price.without_tax.amount", -120)
                .set("data.meta.display_price.tax.amount", -30)
                .item("SKU-R", -2)
                .build();

        String[] row = parse(export(refund)).get(1);

        assertThat(row[OrderColumn.WITH_TAX.ordinal()]).isEqualTo("-150");
        assertThat(row[OrderColumn.WITHOUT_TAX.ordinal()]).isEqualTo("-120");
        assertThat(row[OrderColumn.TAX.ordinal()]).isEqualTo("-30");
        assertThat(row[OrderColumn.ITEM_COUNT.ordinal()]).isEqualTo("-2");
        assertThat(row[OrderColumn.WITH_TAX_FORMATTED.ordinal()]).isEqualTo("'-$1.50");
    }

    @Test
    void write_sumsItemQuantitiesAndJoinsSkusInItemOrder() throws IOException {
        Order basket = order("ord-8")
                .item("SKU-C", 3)
                .item(null, 4)
                .item("SKU-A", 1)
                .item("   ", 2)
                .item("SKU-B", 5)
                .build();

        String[] row = parse(export(basket)).get(1);

        assertThat(row[OrderColumn.ITEM_COUNT.ordinal()]).isEqualTo("15");
        assertThat(row[OrderColumn.SKUS.ordinal()]).isEqualTo("SKU-C;SKU-A;SKU-B");
    }

    @Test
    void write_endsEveryLineWithCrlf() throws IOException {
        String text = new String(export(order("a").build(), order("b").build()), StandardCharsets.UTF_8);

        assertThat(text).endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n", "\r");
        assertThat(text.split("\r\n", -1)).hasSize(4);
    }

    @Test
    void write_writesNoByteOrderMark() throws IOException {
        assertThat(export()[0]).isEqualTo((byte) 'i');
    }

    @Test
    void rowCount_countsDataRowsButNotTheHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OrderCsvWriter writer = new OrderCsvWriter(out)) {
            for (int i = 0; i < 5; i++) {
                writer.write(order("ord-" + i).build());
            }
            assertThat(writer.rowCount()).isEqualTo(5);
        }

        List<String[]> rows = parse(out.toByteArray());
        assertThat(rows).hasSize(6);
        assertThat(rows.subList(1, 6)).extracting(row -> row[0])
                .containsExactly("ord-0", "ord-1", "ord-2", "ord-3", "ord-4");
    }

    @Test
    void close_closesTheUnderlyingStream() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        new OrderCsvWriter(out).close();

        assertThat(closed[0]).isTrue();
    }

    @Test
    void write_failsAfterClose() throws IOException {
        OrderCsvWriter writer = new OrderCsvWriter(new ByteArrayOutputStream());
        writer.close();

        assertThatThrownBy(() -> writer.write(order("late").build())).isInstanceOf(IOException.class);
    }
}
