package io.tributary.jobs.fraud;

import static io.tributary.jobs.fraud.FraudTestData.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.ErasureRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link AccountFeatureScorer} alone, in Flink's keyed operator test harness. */
class AccountFeatureScorerTest {
    private static final long MINUTE = 60_000;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final Duration DEDUP_TTL = Duration.ofHours(24);
    private static final Duration CARD_RETENTION = Duration.ofDays(30);

    private static KeyedTwoInputStreamOperatorTestHarness<String, FraudPayment, ErasureRequest, ScoredPayment> harness(
            boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        return harness(rocksDb, restoreFrom, AlertDelivery.EXACTLY_ONCE);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, FraudPayment, ErasureRequest, ScoredPayment> harness(
            boolean rocksDb, OperatorSubtaskState restoreFrom, AlertDelivery delivery) throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AccountFeatureScorer(DEDUP_TTL, Duration.ofDays(90), CARD_RETENTION,
                        delivery)),
                FraudPayment::accountId, ErasureRequest::getAccountId, Types.STRING);
        harness.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private static void send(KeyedTwoInputStreamOperatorTestHarness<String, FraudPayment, ErasureRequest, ScoredPayment> h,
            EnrichedTransaction payment) throws Exception {
        h.processElement1(FraudPayment.of(payment), payment.getEventTime().toEpochMilli());
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

            h.processBothWatermarks(new Watermark(2 * MINUTE + 5_000));

            List<ScoredPayment> out = h.extractOutputValues();
            // Payments of the same event time go by event id.
            List<String> sameTime = Stream.of("b", "c")
                    .sorted(Comparator.comparing(id -> payment(id, 0, 0).getEventId().toString()))
                    .map(id -> "tx-" + id).toList();
            assertThat(out).extracting(s -> s.payment.transactionId())
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
            h.processBothWatermarks(new Watermark(MINUTE));
            send(h, payment("a", MINUTE, 10));
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness(true, snapshot)) {
            send(restored, payment("a", MINUTE, 10));
            send(restored, payment("b", MINUTE + 1, 10));
            restored.processBothWatermarks(new Watermark(2 * MINUTE));

            assertThat(restored.extractOutputValues()).singleElement()
                    .satisfies(s -> assertThat(feature(s, Feature.ACCOUNT_COUNT_10M)).isEqualTo(2.0));
        }
    }

    @Test
    void aPaymentBehindTheWatermarkIsScoredAtOnce() throws Exception {
        try (var h = harness(true, null)) {
            h.processBothWatermarks(new Watermark(10 * MINUTE));
            send(h, payment("late", 9 * MINUTE, 10));

            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void forLowLatencyAlertsEachPaymentIsScoredOnArrivalInArrivalOrder() throws Exception {
        try (var h = harness(true, null, AlertDelivery.LOW_LATENCY)) {
            send(h, payment("b", 2 * MINUTE + 5_000, 20));
            send(h, payment("a", 2 * MINUTE, 10));
            send(h, payment("b", 2 * MINUTE + 5_000, 20)); // a retry: still counted once

            // No watermark has come: nothing waits for one.
            List<ScoredPayment> out = h.extractOutputValues();
            assertThat(out).extracting(p -> p.payment.transactionId()).containsExactly("tx-b", "tx-a");
            assertThat(out).extracting(p -> feature(p, Feature.ACCOUNT_COUNT_1M)).containsExactly(1.0, 2.0);
            assertThat(feature(out.get(1), Feature.ACCOUNT_SUM_USD_1M)).isEqualTo(30.0);
        }
    }

    @Test
    void aBusyAccountHasOneWindowTimerAnHourAndItsWindowsGoADayAfterItsNewestPayment() throws Exception {
        long hour = 60 * MINUTE;
        try (var h = harness(true, null, AlertDelivery.LOW_LATENCY)) {
            for (int i = 1; i <= 50; i++) {
                send(h, payment("p" + i, hour + 10 * MINUTE + i * 1_000, 10));
            }
            assertThat(h.numEventTimeTimers()).as("fifty payments in an hour").isEqualTo(1);
            send(h, payment("older", 30 * MINUTE, 10));
            assertThat(h.numEventTimeTimers()).as("an older payment, of an earlier hour").isEqualTo(1);
            send(h, payment("next", 2 * hour + MINUTE, 10));
            assertThat(h.numEventTimeTimers()).as("a payment in a later hour").isEqualTo(2);

            h.processBothWatermarks(new Watermark(2 * hour + DAY));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            send(h, payment("after-first", 2 * hour + DAY, 10));
            assertThat(feature(h.extractOutputValues().get(52), Feature.ACCOUNT_COUNT_24H))
                    .as("the later hour's payment is still in the windows").isEqualTo(2.0);
            h.processBothWatermarks(new Watermark(4 * hour + 2 * DAY));
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aDeviceIsNewToAnAccountOnlyTheFirstTime() throws Exception {
        try (var h = harness(true, null)) {
            send(h, payment("a", MINUTE, 10, "DE", null, null, "device-1"));
            send(h, payment("b", 2 * MINUTE, 10, "DE", null, null, "device-1"));
            send(h, payment("c", 3 * MINUTE, 10, "DE", null, null, "device-2"));
            send(h, payment("d", 4 * MINUTE, 10, "DE", null, null, null));
            h.processBothWatermarks(new Watermark(4 * MINUTE));

            assertThat(h.extractOutputValues()).extracting(s -> s.newDevice).containsExactly(true, false, true, false);
        }
    }

    @Test
    void countsDistinctCountriesOfTheLastHour() throws Exception {
        try (var h = harness(true, null)) {
            send(h, payment("a", 0, 10, "DE", null, null, null));
            send(h, payment("b", 30 * MINUTE, 10, "FR", null, null, null));
            send(h, payment("c", 60 * MINUTE, 10, "FR", null, null, null));
            h.processBothWatermarks(new Watermark(60 * MINUTE));

            assertThat(h.extractOutputValues()).extracting(s -> feature(s, Feature.ACCOUNT_DISTINCT_COUNTRIES_1H))
                    .containsExactly(1.0, 2.0, 1.0);
        }
    }

    @Test
    void anIdleAccountsWindowsAreDroppedADayLater() throws Exception {
        try (var h = harness(false, null)) {
            send(h, payment("a", MINUTE, 10, "DE", null, null, "device-1"));
            h.processBothWatermarks(new Watermark(MINUTE));
            // Seen event id, device, card token, windows.
            int withHistory = h.numKeyedStateEntries();

            h.processBothWatermarks(new Watermark(MINUTE + DAY + 60 * MINUTE));

            assertThat(h.numKeyedStateEntries()).isEqualTo(withHistory - 1);
            assertThat(withHistory).isEqualTo(4);
        }
    }

    @Test
    void anEventIdAndADeviceAreForgottenAfterTheirTimeToLive() throws Exception {
        try (var h = harness(true, null)) {
            h.setStateTtlProcessingTime(0);
            send(h, payment("a", MINUTE, 10, "DE", null, null, "device-1"));
            h.processBothWatermarks(new Watermark(MINUTE));
            h.setStateTtlProcessingTime(DEDUP_TTL.toMillis() + 1);
            send(h, payment("a", 2 * MINUTE, 10, "DE", null, null, "device-1"));
            h.processBothWatermarks(new Watermark(2 * MINUTE));
            h.setStateTtlProcessingTime(Duration.ofDays(92).toMillis());
            send(h, payment("b", 3 * MINUTE, 10, "DE", null, null, "device-1"));
            h.processBothWatermarks(new Watermark(3 * MINUTE));

            assertThat(h.extractOutputValues()).extracting(s -> s.newDevice).containsExactly(true, false, true);
        }
    }

    private static ErasureRequest erasure(String account) {
        return ErasureRequest.newBuilder().setRequestId(UUID.randomUUID()).setAccountId(account)
                .setRequestedAt(Instant.EPOCH).setRequestedBy("test").build();
    }

    private static EnrichedTransaction withCard(EnrichedTransaction payment, String card) {
        payment.setCardToken(card);
        return payment;
    }

    @Test
    void anErasureRequestClearsEveryStateAndTimerOfTheAccountAndSendsOneMarkerPerCard() throws Exception {
        try (var h = harness(false, null)) {
            send(h, withCard(payment("a", MINUTE, 10, "DE", null, null, "device-1"), "card-b"));
            send(h, withCard(payment("b", 2 * MINUTE, 10, "DE", null, null, null), "card-a"));
            h.processBothWatermarks(new Watermark(2 * MINUTE));
            send(h, withCard(payment("waiting", 3 * MINUTE, 10), "card-c")); // not scored yet
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numEventTimeTimers()).isPositive();
            int scored = h.extractOutputValues().size();

            h.processElement2(erasure(FraudTestData.ACCOUNT), 0);

            assertThat(h.numKeyedStateEntries()).as("keyed state of the account").isZero();
            assertThat(h.numEventTimeTimers()).as("timers of the account").isZero();
            List<ScoredPayment> after = h.extractOutputValues().subList(scored, h.extractOutputValues().size());
            // Tokens are remembered as payments are scored: the dropped waiting payment's card
            // (card-c) has no state in the card stage, so it needs no marker.
            assertThat(after).allSatisfy(s -> assertThat(s.isErasure()).isTrue())
                    .extracting(ScoredPayment::cardToken).containsExactly("card-a", "card-b");
            h.processBothWatermarks(new Watermark(DAY * 3));
            assertThat(h.extractOutputValues()).as("the waiting payment is dropped, not scored").hasSize(scored + 2);
        }
    }

    @Test
    void anErasureRequestOnRocksDbLeavesNoKeyOfTheAccount() throws Exception {
        try (var h = harness(true, null)) {
            send(h, payment("a", MINUTE, 10, "DE", null, null, "device-1"));
            h.processBothWatermarks(new Watermark(MINUTE));
            send(h, payment("b", 3 * MINUTE, 10));
            h.processElement2(erasure(FraudTestData.ACCOUNT), 0);

            var backend = ((AbstractStreamOperator<?>) h.getOperator()).<String>getKeyedStateBackend();
            for (String state : List.of("seen-event-ids", "waiting-for-watermark", "account-windows", "account-devices",
                    "account-cards")) {
                try (var keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
                    assertThat(keys.toList()).as(state).isEmpty();
                }
            }
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anErasureRequestLeavesOtherAccountsAlone() throws Exception {
        try (var h = harness(false, null)) {
            EnrichedTransaction other = payment("x", MINUTE, 10);
            other.setAccountId("acc-2");
            send(h, other);
            h.processBothWatermarks(new Watermark(MINUTE));
            int before = h.numKeyedStateEntries();

            h.processElement2(erasure(FraudTestData.ACCOUNT), 0);

            assertThat(h.numKeyedStateEntries()).isEqualTo(before);
            assertThat(h.extractOutputValues()).extracting(ScoredPayment::isErasure).containsExactly(false);
        }
    }

    /**
     * The account stage gained its erasure input under the same uid: state written by the one-input
     * operator of the previous version (a copy of it, {@link OneInputAccountFeatureScorer}) must
     * restore into the two-input one.
     */
    @Test
    void restoresTheStateOfTheOneInputVersion() throws Exception {
        OperatorSubtaskState snapshot;
        try (var old = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OneInputAccountFeatureScorer(DEDUP_TTL, Duration.ofDays(90))),
                EnrichedTransaction::getAccountId, Types.STRING)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            old.processElement(payment("a", MINUTE, 10, "DE", null, null, "device-1"), MINUTE);
            old.processWatermark(MINUTE);
            old.processElement(payment("waiting", 2 * MINUTE, 20), 2 * MINUTE);
            snapshot = old.snapshot(1, 1);
        }
        try (var h = harness(true, snapshot)) {
            send(h, payment("a", MINUTE, 10)); // a replay: its id was restored
            send(h, payment("c", 3 * MINUTE, 30, "DE", null, null, "device-1"));
            h.processBothWatermarks(new Watermark(3 * MINUTE));

            // The restored timer released the waiting payment; the windows count all three.
            assertThat(h.extractOutputValues()).extracting(s -> s.payment.transactionId())
                    .containsExactly("tx-waiting", "tx-c");
            ScoredPayment c = h.extractOutputValues().get(1);
            assertThat(feature(c, Feature.ACCOUNT_COUNT_10M)).isEqualTo(3.0);
            assertThat(c.newDevice).as("the device was restored").isFalse();

            h.processElement2(erasure(FraudTestData.ACCOUNT), 0);
            assertThat(h.numEventTimeTimers()).as("restored timers are deleted too").isZero();
        }
    }
}
