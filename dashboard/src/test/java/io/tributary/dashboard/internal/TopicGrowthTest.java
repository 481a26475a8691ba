package io.tributary.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopicGrowthTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theRateIsTheGrowthOverTheSpan() {
        TopicGrowth growth = new TopicGrowth(Duration.ofSeconds(60));
        assertThat(growth.perSecond("dlq")).isNull();
        growth.record("dlq", T0, 1_000);
        assertThat(growth.perSecond("dlq")).isNull();
        growth.record("dlq", T0.plusSeconds(10), 1_050);
        growth.record("dlq", T0.plusSeconds(20), 1_200);

        assertThat(growth.perSecond("dlq")).isEqualTo(10.0);
    }

    @Test
    void samplesOlderThanTheSpanNoLongerCount() {
        TopicGrowth growth = new TopicGrowth(Duration.ofSeconds(60));
        growth.record("late", T0, 0);
        growth.record("late", T0.plusSeconds(30), 3_000);
        growth.record("late", T0.plusSeconds(90), 3_000);
        growth.record("late", T0.plusSeconds(100), 3_000);

        assertThat(growth.perSecond("late")).isZero();
    }

    @Test
    void endOffsetsThatShrinkAreNoNegativeRate() {
        TopicGrowth growth = new TopicGrowth(Duration.ofSeconds(60));
        growth.record("dlq", T0, 500);
        growth.record("dlq", T0.plusSeconds(5), 0);

        assertThat(growth.perSecond("dlq")).isZero();
    }
}
