package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing of stream records to concurrent lanes by their ordering key. */
class LanesTest {

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aKey_alwaysTakesTheSameLaneAndKeysSpreadOverAllLanes() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int lane = Lanes.laneOf("store-" + i, 10);
            assertThat(lane).isBetween(0, 9).isEqualTo(Lanes.laneOf("store-" + i, 10));
            used.add(lane);
        }
        assertThat(used).hasSize(10);
    }

    @Test
    void theOrderingKey_isThePartitionKeyOrTheWholeItemKey() throws Exception {
        var job1 = mapper.readTree("{\"dynamodb\":{\"Keys\":{\"store_id\":{\"S\":\"a\"},\"job_id\":{\"S\":\"1\"}}}}");
        var job2 = mapper.readTree("{\"dynamodb\":{\"Keys\":{\"store_id\":{\"S\":\"a\"},\"job_id\":{\"S\":\"2\"}}}}");

        assertThat(Lanes.orderingKey(job1, List.of("store_id"))).isEqualTo("a").isEqualTo(Lanes.orderingKey(job2, List.of("store_id")));
        assertThat(Lanes.orderingKey(job1, List.of("store_id", "job_id")))
                .isNotEqualTo(Lanes.orderingKey(job2, List.of("store_id", "job_id")));
    }
}
