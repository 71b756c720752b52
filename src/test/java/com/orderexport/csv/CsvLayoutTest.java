package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderexport.orders.Order;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.Orders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLayoutTest {

    final Order order = Orders.typicalOrder("o1", Instant.parse("2024-03-05T14:40:33.250Z"))
            .updatedAt("2024-07-01T00:00:00Z").build();

    @Test
    void chosenColumns_areWrittenInTheCallersOrder() throws IOException {
        CsvLayout layout = new CsvLayout(List.of(OrderColumn.STATUS, OrderColumn.ID, OrderColumn.WITH_TAX), ZoneOffset.UTC);

        List<String[]> rows = ExportedFile.parse(written(layout));

        assertThat(rows.get(0)).containsExactly("status", "id", "with_tax");
        assertThat(rows.get(1)).containsExactly(order.status(), "o1", order.withTaxText());
    }

    @Test
    void aZone_writesTheTimestampsInIt_withTheirOffset_andNamesItInTheHeader() throws IOException {
        CsvLayout layout = new CsvLayout(List.of(OrderColumn.ID, OrderColumn.CREATED_AT, OrderColumn.UPDATED_AT),
                ZoneId.of("Europe/Berlin"));

        List<String[]> rows = ExportedFile.parse(written(layout));

        assertThat(rows.get(0)).containsExactly("id", "created_at (Europe/Berlin)", "updated_at (Europe/Berlin)");
        // Winter and summer time: the offset follows the zone's rules on each date.
        assertThat(rows.get(1)).containsExactly("o1", "2024-03-05T15:40:33.250+01:00", "2024-07-01T02:00:00.000+02:00");
    }

    @Test
    void theDefaultLayout_isEveryColumnInUtc_theFileElasticPathsClientsGet() throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (OrderCsvWriter writer = new OrderCsvWriter(plain, true)) {
            writer.write(order);
        }

        assertThat(written(new CsvLayout(List.of(OrderColumn.values()), ZoneId.of("UTC")))).isEqualTo(plain.toByteArray());
        assertThat(CsvLayout.DEFAULT.columns()).containsExactly(OrderColumn.values());
    }

    @Test
    void itemRows_repeatTheOrdersCellsOnEachItemsRow_andAnOrderWithoutItemsKeepsOneRow() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode document = Orders.typicalOrder("o2", Instant.parse("2024-03-05T14:40:33Z"))
                .item("p-1", "SKU-1", 2).item("p-2", "=SKU-2", 1).document();
        com.fasterxml.jackson.databind.node.ObjectNode first = (com.fasterxml.jackson.databind.node.ObjectNode)
                document.path("included").path("items").get(0);
        first.putObject("unit_price").put("amount", 500).put("currency", "USD");
        first.putObject("value").put("amount", 1000).put("currency", "USD");
        Order withItems = Order.fromDocument(document);
        Order without = Orders.typicalOrder("o3", Instant.parse("2024-03-06T00:00:00Z")).build();
        CsvLayout layout = new CsvLayout(List.of(OrderColumn.ID, OrderColumn.ITEM_COUNT), ZoneOffset.UTC, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int rows;
        try (OrderCsvWriter writer = new OrderCsvWriter(out, true, layout)) {
            rows = writer.writeItems(withItems) + writer.writeItems(without);
        }

        assertThat(rows).isEqualTo(3);
        assertThat(ExportedFile.parse(out.toByteArray())).containsExactly(
                new String[] {"id", "item_count", "item_id", "item_product_id", "item_sku", "item_name", "item_quantity",
                    "item_unit_amount", "item_line_amount"},
                new String[] {"o2", "3", withItems.items().get(0).id(), "p-1", "SKU-1", withItems.items().get(0).name(), "2",
                    "500", "1000"},
                new String[] {"o2", "3", withItems.items().get(1).id(), "p-2", "'=SKU-2", withItems.items().get(1).name(),
                    "1", "", ""},
                new String[] {"o3", "0", "", "", "", "", "", "", ""});
    }

    @Test
    void aLayout_needsColumns_eachOnce() {
        assertThatThrownBy(() -> new CsvLayout(List.of(), ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CsvLayout(List.of(OrderColumn.ID, OrderColumn.ID), ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private byte[] written(CsvLayout layout) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OrderCsvWriter writer = new OrderCsvWriter(out, true, layout)) {
            writer.write(order);
        }
        return out.toByteArray();
    }
}
