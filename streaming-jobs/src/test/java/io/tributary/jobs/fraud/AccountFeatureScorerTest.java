package io.tributary.jobs.fraud;

import static io.tributary.jobs.fraud.FraudTestData.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EnrichedTransaction;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link AccountFeatureScorer} alone, in Flink's keyed operator test harness. */
class AccountFeatureScorerTest {
    private static final long MINUTE = 60_000;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final Duration DEDUP_TTL = Duration.ofHours(24);

    private static KeyedOneInputStreamOperatorTestHarness<String, EnrichedTransaction, ScoredPayment> harness(
            boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AccountFeatureScorer(DEDUP_TTL, Duration.ofDays(90))),
                EnrichedTransaction::getAccountId, Types.STRING);
        harness.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, EnrichedTransaction, ScoredPayment> h,
            EnrichedTransaction payment) throws Exception {
        h.processElement(payment, payment.getEventTime().toEpochMilli());
    }

    private static double feature(ScoredPayment scored, Feature feature) {
        return scored.accountFeatures[feature.index()];
    }

    @Test
    void scoresInEventTimeOrderOnceTheWatermarkPasses() throws Exception {
        try (var h = harness(true, null)) {
            send(h, payment("b", 2 * MINUTE + 5_000, 20));
            send(h, payment("c", 2 * MINUTE + 5_000, 40));
            send(h, payment("a", 2 * MINUTE, 10));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(2 * MINUTE + 5_000);

            List<ScoredPayment> out = h.extractOutputValues();
            // Payments of the same event time go by event id.
            List<String> sameTime = Stream.of("b", "c")
                    .sorted(Comparator.comparing(id -> payment(id, 0, 0).getEventId().toString()))
                    .map(id -> "tx-" + id).toList();
            assertThat(out).extracting(s -> s.payment.getTransactionId())
                    .containsExactly("tx-a", sameTime.get(0), sameTime.get(1));
            assertThat(out).extracting(s -> feature(s, Feature.ACCOUNT_COUNT_1M)).containsExactly(1.0, 2.0, 3.0);
            assertThat(feature(out.get(2), Feature.ACCOUNT_SUM_USD_1M)).isEqualTo(70.0);
        }
    }

    @Test
    void aReplayedPaymentIsNotCountedTwiceEvenAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(true, null)) {
            send(h, payment("a", MINUTE, 10));
            h.processWatermark(MINUTE);
            send(h, payment("a", MINUTE, 10));
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness(true, snapshot)) {
            send(restored, payment("a", MINUTE, 10));
            send(restored, payment("b", MINUTE + 1, 10));
            restored.processWatermark(2 * MINUTE);

            assertThat(restored.extractOutputValues()).singleElement()
                    .satisfies(s -> assertThat(feature(s, Feature.ACCOUNT_COUNT_10M)).isEqualTo(2.0));
        }
    }

    @Test
    void aPaymentBehindTheWatermarkIsScoredAtOnce() throws Exception {
        try (var h = harness(true, null)) {
            h.processWatermark(10 * MINUTE);
            send(h, payment("late", 9 * MINUTE, 10));

            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void aDeviceIsNewToAnAccountOnlyTheFirstTime() throws Exception {
        try (var h = harness(true, null)) {
            send(h, payment("a", MINUTE, 10, "DE", null, null, "device-1"));
            send(h, payment("b", 2 * MINUTE, 10, "DE", null, null, "device-1"));
            send(h, payment("c", 3 * MINUTE, 10, "DE", null, null, "device-2"));
            send(h, payment("d", 4 * MINUTE, 10, "DE", null, null, null));
            h.processWatermark(4 * MINUTE);

            assertThat(h.extractOutputValues()).extracting(s -> s.newDevice).containsExactly(true, false, true, false);
        }
    }

    @Test
    void countsDistinctCountriesOfTheLastHour() throws Exception {
        try (var h = harness(true, null)) {
            send(h, payment("a", 0, 10, "DE", null, null, null));
            send(h, payment("b", 30 * MINUTE, 10, "FR", null, null, null));
            send(h, payment("c", 60 * MINUTE, 10, "FR", null, null, null));
            h.processWatermark(60 * MINUTE);

            assertThat(h.extractOutputValues()).extracting(s -> feature(s, Feature.ACCOUNT_DISTINCT_COUNTRIES_1H))
                    .containsExactly(1.0, 2.0, 1.0);
        }
    }

    @Test
    void anIdleAccountsWindowsAreDroppedADayLater() throws Exception {
        try (var h = harness(false, null)) {
            send(h, payment("a", MINUTE, 10, "DE", null, null, "device-1"));
            h.processWatermark(MINUTE);
            // Seen event id, device, windows, and the clean-up timer.
            int withHistory = h.numKeyedStateEntries();

            h.processWatermark(MINUTE + DAY + 60 * MINUTE);

            assertThat(h.numKeyedStateEntries()).isEqualTo(withHistory - 1);
            assertThat(withHistory).isEqualTo(3);
        }
    }

    @Test
    void anEventIdAndADeviceAreForgottenAfterTheirTimeToLive() throws Exception {
        try (var h = harness(true, null)) {
            h.setStateTtlProcessingTime(0);
            send(h, payment("a", MINUTE, 10, "DE", null, null, "device-1"));
            h.processWatermark(MINUTE);
            h.setStateTtlProcessingTime(DEDUP_TTL.toMillis() + 1);
            send(h, payment("a", 2 * MINUTE, 10, "DE", null, null, "device-1"));
            h.processWatermark(2 * MINUTE);
            h.setStateTtlProcessingTime(Duration.ofDays(92).toMillis());
            send(h, payment("b", 3 * MINUTE, 10, "DE", null, null, "device-1"));
            h.processWatermark(3 * MINUTE);

            assertThat(h.extractOutputValues()).extracting(s -> s.newDevice).containsExactly(true, false, true);
        }
    }
}
