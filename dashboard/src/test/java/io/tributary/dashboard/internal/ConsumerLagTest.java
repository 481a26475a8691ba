package io.tributary.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {
    private static final TopicPartition P0 = new TopicPartition("payments", 0);
    private static final TopicPartition P1 = new TopicPartition("payments", 1);
    private static final TopicPartition A0 = new TopicPartition("alerts", 0);

    @Test
    void sumsEndMinusCommittedPerGroupLargestFirst() {
        var lag = ConsumerLag.of(
                Map.of("enrichment", Map.of(P0, 90L, P1, 100L), "metrics", Map.of(P0, 100L, A0, 5L), "idle", Map.of()),
                Map.of(P0, 100L, P1, 130L, A0, 7L));

        assertThat(lag).containsExactly(
                new ConsumerLag.GroupLag("enrichment", java.util.List.of("payments"), 40, 2),
                new ConsumerLag.GroupLag("metrics", java.util.List.of("alerts", "payments"), 2, 2));
    }

    @Test
    void aCommitAheadOfTheStableEndOrWithoutAnEndIsNoLag() {
        var lag = ConsumerLag.of(Map.of("g", Map.of(P0, 120L, P1, 10L)), Map.of(P0, 100L));

        assertThat(lag).singleElement().extracting(ConsumerLag.GroupLag::lag).isEqualTo(0L);
    }
}
