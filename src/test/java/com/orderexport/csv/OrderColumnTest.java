package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class OrderColumnTest {

    @Test
    void headers_areUniqueSnakeCaseNamesOfTheConstants() {
        assertThat(OrderColumn.values()).hasSize(44);
        assertThat(OrderColumn.values()).allSatisfy(column -> {
            assertThat(column.header()).isEqualTo(column.name().toLowerCase(Locale.ROOT));
            assertThat(column.description()).isNotBlank().doesNotContain("\n");
        });
    }

    @Test
    void readmesColumnTable_isExactlyTheColumnsInOrderWithTheirDescriptions() throws IOException {
        List<String> documented = Files.readAllLines(Path.of("README.md")).stream()
                .filter(line -> line.matches("\\| \\d+ \\| `[a-z_0-9]+` \\| .* \\|"))
                .toList();
        List<String> expected = new ArrayList<>();
        for (OrderColumn column : OrderColumn.values()) {
            expected.add("| " + (column.ordinal() + 1) + " | `" + column.header() + "` | " + column.description() + " |");
        }

        assertThat(documented).containsExactlyElementsOf(expected);
    }

    @Test
    void numeric_isTrueForTheAmountsAndItemCountOnly() {
        assertThat(Arrays.stream(OrderColumn.values()).filter(OrderColumn::numeric))
                .containsExactly(OrderColumn.WITH_TAX, OrderColumn.WITHOUT_TAX, OrderColumn.TAX,
                        OrderColumn.ITEM_COUNT);
    }
}
