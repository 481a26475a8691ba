package io.tributary.jobs.enrichment.quality;

import static io.tributary.jobs.enrichment.quality.QualityFixtures.PARAMETERS;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.TOPIC;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.WINDOW;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.payment;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.jobs.enrichment.quality.QualityFixtures.RecordedMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class InputQualityMonitorTest {
    private final RecordedMetrics metrics = new RecordedMetrics();

    private OneInputStreamOperatorTestHarness<InputProfile, Void> started(long at, OperatorSubtaskState restoreFrom)
            throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new InputQualityMonitor(PARAMETERS), metrics.environment());
        harness.setProcessingTime(at);
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    /** Two profilers' profiles of window {@code w}, then the clock at its closing time. */
    private static void window(OneInputStreamOperatorTestHarness<InputProfile, Void> harness, long w, InputProfile first,
            InputProfile second) throws Exception {
        harness.processElement(new StreamRecord<>(first));
        harness.processElement(new StreamRecord<>(second));
        harness.setProcessingTime(w * WINDOW + WINDOW + WINDOW / 2);
    }

    private static void normalWindow(OneInputStreamOperatorTestHarness<InputProfile, Void> harness, long w)
            throws Exception {
        window(harness, w, profile(w * WINDOW, 50), profile(w * WINDOW, 50));
    }

    private long lateProfiles() {
        return ((Counter) metrics.get("lateProfiles")).getCount();
    }

    @Test
    void addsUpTheProfilersOfAWindowAndPublishesItsMeasuresBesideTheirBounds() throws Exception {
        try (var harness = started(0, null)) {
            normalWindow(harness, 0);
            assertThat(metrics.gauge("recordsPerWindow")).isEqualTo(100);
            assertThat(metrics.gauge("volumeRatio")).as("no baseline yet").isNaN();
            normalWindow(harness, 1);
            normalWindow(harness, 2);

            assertThat(metrics.gauge("volumeRatio")).isEqualTo(1.0);
            assertThat(metrics.gauge("volumeRatioMin")).isEqualTo(0.5);
            assertThat(metrics.gauge("volumeRatioMax")).isEqualTo(2.0);
            assertThat(metrics.gauge("amountPsi")).isCloseTo(0, within(1e-9));
            assertThat(metrics.gauge("currencyPsi")).isCloseTo(0, within(1e-9));
            assertThat(metrics.gauge("psiMax")).isEqualTo(0.25);
            // 13 of each 50 without e-mail, in the window and in the baseline.
            assertThat(metrics.gauge("field.email.nullRate")).isEqualTo(0.26);
            assertThat(metrics.gauge("field.email.nullRateMax")).isCloseTo(0.26 + 0.2, within(1e-9));
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aWindowWithoutProfilesIsAWindowWithoutPayments() throws Exception {
        try (var harness = started(0, null)) {
            normalWindow(harness, 0);
            normalWindow(harness, 1);
            normalWindow(harness, 2);
            harness.setProcessingTime(3 * WINDOW + WINDOW + WINDOW / 2);
            assertThat(metrics.gauge("recordsPerWindow")).isZero();
            assertThat(metrics.gauge("volumeRatio")).isZero().isLessThan(metrics.gauge("volumeRatioMin"));
        }
    }

    @Test
    void doesNotJudgeTheWindowItStartedInAndCountsProfilesThatComeAfterTheirWindowClosed() throws Exception {
        try (var harness = started(WINDOW / 3, null)) {
            harness.processElement(new StreamRecord<>(profile(0, 50)));
            assertThat(lateProfiles()).as("of the window the operator started in").isEqualTo(1);
            normalWindow(harness, 1);
            assertThat(metrics.gauge("recordsPerWindow")).isEqualTo(100);
            harness.processElement(new StreamRecord<>(profile(WINDOW, 50)));
            assertThat(lateProfiles()).isEqualTo(2);
            assertThat(metrics.gauge("recordsPerWindow")).isEqualTo(100);
        }
    }

    @Test
    void aDriftPassesItsBoundsAndASuddenlyMissingFieldPassesItsNullRateBound() throws Exception {
        try (var harness = started(0, null)) {
            normalWindow(harness, 0);
            normalWindow(harness, 1);
            InputProfile.Accumulator drifted = new InputProfile.Accumulator(TOPIC);
            for (int i = 0; i < 100; i++) {
                drifted.add(payment("1000", i % 3 == 0 ? "EUR" : "JPY", false).value, 7);
            }
            window(harness, 2, drifted.toProfile(2 * WINDOW), profile(2 * WINDOW, 0));

            assertThat(metrics.gauge("amountPsi")).isGreaterThan(metrics.gauge("psiMax"));
            assertThat(metrics.gauge("currencyPsi")).isGreaterThan(metrics.gauge("psiMax"));
            assertThat(metrics.gauge("field.email.nullRate")).isEqualTo(1.0)
                    .isGreaterThan(metrics.gauge("field.email.nullRateMax"));
            assertThat(metrics.gauge("field.device_id.nullRate")).isZero()
                    .isLessThan(metrics.gauge("field.device_id.nullRateMax"));
            assertThat(metrics.gauge("volumeRatio")).isBetween(0.5, 2.0);
        }
    }

    @Test
    void announcesANewWriterSchemaOnceAlsoAcrossARestoreAndKeepsTheBaseline() throws Exception {
        OperatorSubtaskState state;
        try (var harness = started(0, null)) {
            normalWindow(harness, 0);
            assertThat(metrics.gauge("writerSchemas")).isEqualTo(1);
            assertThat(metrics.counter("newWriterSchemas")).as("the schemas in use at the first start").isZero();

            InputProfile.Accumulator upgraded = new InputProfile.Accumulator(TOPIC);
            upgraded.add(payment("10", "EUR", true, 8).value, 8);
            window(harness, 1, profile(WINDOW, 50), upgraded.toProfile(WINDOW));
            assertThat(metrics.gauge("writerSchemas")).isEqualTo(2);
            assertThat(metrics.counter("newWriterSchemas")).isEqualTo(1);
            state = harness.snapshot(1, 2 * WINDOW);
        }

        RecordedMetrics afterRestore = new RecordedMetrics();
        var harness = new OneInputStreamOperatorTestHarness<>(new InputQualityMonitor(PARAMETERS),
                afterRestore.environment());
        harness.setProcessingTime(5 * WINDOW);
        harness.initializeState(state);
        harness.open();
        try (harness) {
            InputProfile.Accumulator both = new InputProfile.Accumulator(TOPIC);
            both.add(payment("10", "EUR", true, 7).value, 7);
            both.add(payment("10", "EUR", true, 8).value, 8);
            window(harness, 5, both.toProfile(5 * WINDOW), profile(5 * WINDOW, 100));
            assertThat(afterRestore.counter("newWriterSchemas")).isZero();
            assertThat(afterRestore.gauge("writerSchemas")).isEqualTo(2);
            assertThat(afterRestore.gauge("volumeRatio")).as("judged at once with the restored baseline")
                    .isCloseTo(102 / 75.5, within(1e-9));
        }
    }
}
