package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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
    void numeric_isTrueForTheAmountsAndItemCountOnly() {
        assertThat(Arrays.stream(OrderColumn.values()).filter(OrderColumn::numeric))
                .containsExactly(OrderColumn.WITH_TAX, OrderColumn.WITHOUT_TAX, OrderColumn.TAX,
                        OrderColumn.ITEM_COUNT);
    }
}
