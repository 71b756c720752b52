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
