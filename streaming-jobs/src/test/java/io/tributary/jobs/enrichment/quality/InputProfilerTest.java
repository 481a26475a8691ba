package io.tributary.jobs.enrichment.quality;

import static io.tributary.jobs.enrichment.quality.QualityFixtures.TOPIC;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.WINDOW;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.Origin;
import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class InputProfilerTest {

    private static OneInputStreamOperatorTestHarness<Decoded<MaskedTransaction>, InputProfile> started(long at)
            throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new InputProfiler(WINDOW));
        harness.setProcessingTime(at);
        harness.open();
        return harness;
    }

    @Test
    void reportsEachWholeWindowOnceItEndsButNotTheOneItStartedIn() throws Exception {
        try (var harness = started(10 * WINDOW + 5_000)) {
            harness.processElement(new StreamRecord<>(payment("10", "EUR", true)));
            harness.setProcessingTime(11 * WINDOW);
            assertThat(harness.extractOutputValues()).as("the window it started in, seen only in part").isEmpty();

            harness.processElement(new StreamRecord<>(payment("10", "EUR", true, 7)));
            harness.processElement(new StreamRecord<>(payment("2000", "JPY", false, 8)));
            harness.processElement(new StreamRecord<>(payment("3000", "JPY", false, 8)));
            harness.setProcessingTime(12 * WINDOW - 1);
            assertThat(harness.extractOutputValues()).isEmpty();
            harness.setProcessingTime(12 * WINDOW);

            List<InputProfile> profiles = harness.extractOutputValues();
            assertThat(profiles).hasSize(1);
            InputProfile p = profiles.get(0);
            assertThat(p.topic).isEqualTo(TOPIC);
            assertThat(p.windowStart).isEqualTo(11 * WINDOW);
            assertThat(p.records).isEqualTo(3);
            assertThat(p.nulls(OptionalPaymentField.EMAIL)).isEqualTo(2);
            assertThat(p.nulls(OptionalPaymentField.DEVICE_ID)).isZero();
            assertThat(p.nulls(OptionalPaymentField.LOCATION)).isEqualTo(3);
            assertThat(p.writerSchemaIds).containsExactlyInAnyOrder(7, 8);
            assertThat(p.amountBuckets[AmountBuckets.of(new BigDecimal("2000"))]).isEqualTo(2);
            assertThat(p.currencies).containsExactlyInAnyOrder("EUR", "JPY");
            assertThat(p.currencyCounts[List.of(p.currencies).indexOf("JPY")]).isEqualTo(2);
        }
    }

    @Test
    void aWindowWithoutPaymentsSendsNothingAndTheCountsStartAfreshEachWindow() throws Exception {
        try (var harness = started(0)) {
            harness.processElement(new StreamRecord<>(payment("10", "EUR", true)));
            harness.setProcessingTime(WINDOW);
            harness.setProcessingTime(2 * WINDOW);
            harness.processElement(new StreamRecord<>(payment("10", "EUR", true)));
            harness.setProcessingTime(3 * WINDOW);
            assertThat(harness.extractOutputValues()).extracting(p -> p.windowStart, p -> p.records)
                    .containsExactly(tuple(0L, 1L),
                            tuple(2 * WINDOW, 1L));
        }
    }

    @Test
    void profilesEachTopicApartAndLeavesOutPaymentsNotReadFromOne() throws Exception {
        try (var harness = started(0)) {
            Decoded<MaskedTransaction> other = payment("10", "EUR", true);
            other.origin = new Origin();
            other.origin.topic = "replayed.payments";
            Decoded<MaskedTransaction> backfilled = payment("10", "EUR", true);
            backfilled.origin = null;
            harness.processElement(new StreamRecord<>(payment("10", "EUR", true)));
            harness.processElement(new StreamRecord<>(other));
            harness.processElement(new StreamRecord<>(backfilled));
            harness.setProcessingTime(WINDOW);
            assertThat(harness.extractOutputValues()).extracting(p -> p.topic, p -> p.records)
                    .containsExactlyInAnyOrder(tuple(TOPIC, 1L),
                            tuple("replayed.payments", 1L));
        }
    }
}
