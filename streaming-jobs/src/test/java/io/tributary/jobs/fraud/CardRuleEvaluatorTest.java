package io.tributary.jobs.fraud;

import static io.tributary.jobs.fraud.FraudTestData.payment;
import static io.tributary.jobs.fraud.FraudTestData.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.Origin;
import io.tributary.events.RuleType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link CardRuleEvaluator} alone, in Flink's keyed-broadcast operator test harness. */
class CardRuleEvaluatorTest {
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final Duration CARD_RETENTION = Duration.ofDays(30);

    /** The harness, fed payments as the account stage would emit them. */
    static final class Harness implements AutoCloseable {
        final KeyedBroadcastOperatorTestHarness<String, ScoredPayment, Decoded<FraudRule>, FraudAlert> harness;

        Harness(boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
            this(rocksDb, restoreFrom, RulesAtStart.none());
        }

        Harness(boolean rocksDb, OperatorSubtaskState restoreFrom, RulesAtStart rulesAtStart) throws Exception {
            harness = new KeyedBroadcastOperatorTestHarness<>(
                    new CoBroadcastWithKeyedOperator<>(
                            new CardRuleEvaluator(Duration.ofHours(1), CARD_RETENTION, Duration.ofDays(7), rulesAtStart),
                            List.of(CardRuleEvaluator.RULES)),
                    ScoredPayment::cardToken, Types.STRING, 1, 1, 0);
            harness.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
            if (restoreFrom != null) {
                harness.initializeState(restoreFrom);
            }
            harness.open();
        }

        Harness() throws Exception {
            this(true, null);
        }

        void rule(FraudRule rule) throws Exception {
            harness.processBroadcastElement(Decoded.value(rule), 0);
        }

        /** A tombstone on the rules topic, keyed by the rule id. */
        void deleteRule(String ruleId) throws Exception {
            harness.processBroadcastElement(Decoded.tombstone(ruleId), 0);
        }

        /** A change as the rules source gives it, with where it was read. */
        void ruleChange(Decoded<FraudRule> change) throws Exception {
            harness.processBroadcastElement(change, 0);
        }

        void pay(EnrichedTransaction payment) throws Exception {
            pay(payment, false);
        }

        void pay(EnrichedTransaction payment, boolean newDevice) throws Exception {
            double[] account = new double[Feature.Entity.ACCOUNT.features().size()];
            account[Feature.ACCOUNT_COUNT_24H.index()] = 1;
            harness.processElement(new ScoredPayment(FraudPayment.of(payment), account, newDevice),
                    payment.getEventTime().toEpochMilli());
        }

        /** The account stage's marker: the card's account asked to be forgotten. */
        void erase(String card) throws Exception {
            harness.processElement(ScoredPayment.erasure(card), 0);
        }

        /** The keys that have a value in the keyed state {@code name}, as the state backend stores them. */
        List<String> keysWithState(String name) throws Exception {
            var backend = ((AbstractStreamOperator<?>) harness.getOperator()).<String>getKeyedStateBackend();
            try (var keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                return keys.toList();
            }
        }

        List<FraudAlert> alerts() {
            return harness.extractOutputValues();
        }

        List<FeatureSnapshot> features() {
            var records = harness.getSideOutput(CardRuleEvaluator.FEATURES);
            return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    @Nested
    class FeatureThreshold {
        @Test
        void firesStrictlyAboveTheThreshold() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("sum10m", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_10m")
                        .setThreshold(1000.0).build());
                h.pay(payment("a", MINUTE, 600));
                h.pay(payment("b", 2 * MINUTE, 400));
                assertThat(h.alerts()).isEmpty();

                h.pay(payment("c", 3 * MINUTE, 0.01));

                assertThat(h.alerts()).singleElement().satisfies(alert -> {
                    assertThat(alert.getTransactionId()).isEqualTo("tx-c");
                    assertThat(alert.getEvidence()).singleElement().satisfies(e -> {
                        assertThat(e.getName()).isEqualTo("card.sum_usd_10m");
                        assertThat(e.getValue()).isCloseTo(1000.01, within(1e-9));
                        assertThat(e.getLimit()).isEqualTo(1000.0);
                    });
                });
            }
        }

        @Test
        void comparesTheAmountWithTheCardsEarlierOnes() throws Exception {
            try (var below = new Harness(); var above = new Harness()) {
                for (Harness h : List.of(below, above)) {
                    h.rule(rule("spike", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.amount_zscore")
                            .setThreshold(3.0).build());
                    for (int i = 0; i < 10; i++) {
                        h.pay(payment("p" + i, i * HOUR, i % 2 == 0 ? 40 : 60));
                    }
                }
                // Mean 50, deviation 10: 79.9 is just under 3 deviations above, 80.1 just over.
                below.pay(payment("under", 11 * HOUR, 79.9));
                above.pay(payment("over", 11 * HOUR, 80.1));

                assertThat(below.alerts()).isEmpty();
                assertThat(above.alerts()).extracting(FraudAlert::getTransactionId).containsExactly("tx-over");
                FeatureSnapshot card = above.features().get(above.features().size() - 2);
                assertThat(card.values[Feature.CARD_AMOUNT_MEAN_USD.index()]).isCloseTo(50, within(1e-9));
                assertThat(card.values[Feature.CARD_AMOUNT_STDDEV_USD.index()]).isCloseTo(10, within(1e-9));
                assertThat(card.values[Feature.CARD_AMOUNT_ZSCORE.index()]).isCloseTo(3.01, within(1e-9));
            }
        }

        @Test
        void canUseTheAccountsFeatures() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("acct", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("account.count_24h")
                        .setThreshold(0.5).build());
                h.pay(payment("a", MINUTE, 1));

                assertThat(h.alerts()).hasSize(1);
            }
        }
    }

    @Nested
    class Velocity {
        private FraudRule threeInAMinute() {
            return rule("burst", 1, RuleType.VELOCITY, 0).setMinCount(3).setWindowSeconds(60L).build();
        }

        @Test
        void firesAtExactlyNWithinTheWindow() throws Exception {
            try (var h = new Harness()) {
                h.rule(threeInAMinute());
                h.pay(payment("a", 10 * SECOND, 1));
                h.pay(payment("b", 40 * SECOND, 1));
                assertThat(h.alerts()).isEmpty();

                h.pay(payment("c", 69_999, 1));

                assertThat(h.alerts()).extracting(FraudAlert::getTransactionId).containsExactly("tx-c");
                assertThat(h.alerts().get(0).getEvidence()).extracting(Evidence::getValue).containsExactly(3.0);
            }
        }

        @Test
        void aPaymentExactlyAWindowEarlierIsOutside() throws Exception {
            try (var h = new Harness()) {
                h.rule(threeInAMinute());
                h.pay(payment("a", 10 * SECOND, 1));
                h.pay(payment("b", 40 * SECOND, 1));
                h.pay(payment("c", 70 * SECOND, 1));

                assertThat(h.alerts()).isEmpty();
            }
        }
    }

    @Nested
    class ImpossibleTravel {
        private FraudRule fasterThan(double kmh) {
            return rule("travel", 1, RuleType.IMPOSSIBLE_TRAVEL, 0).setMaxSpeedKmh(kmh).build();
        }

        @Test
        void firesOnlyAboveTheSpeedLimit() throws Exception {
            // Paris to New York in one hour.
            double km = RuleSemantics.distanceKm(48.8566, 2.3522, 40.7128, -74.0060);
            try (var atTheLimit = new Harness(); var above = new Harness()) {
                atTheLimit.rule(fasterThan(km));
                above.rule(fasterThan(km - 0.001));
                for (Harness h : List.of(atTheLimit, above)) {
                    h.pay(payment("paris", HOUR, 10, "FR", 48.8566, 2.3522, null));
                    h.pay(payment("new-york", 2 * HOUR, 10, "US", 40.7128, -74.0060, null));
                }

                assertThat(atTheLimit.alerts()).isEmpty();
                assertThat(above.alerts()).singleElement().satisfies(alert -> {
                    assertThat(alert.getTransactionId()).isEqualTo("tx-new-york");
                    assertThat(alert.getEvidence().get(0).getDetail()).matches("FR to US: 58\\d\\d km in 1.00 h");
                });
            }
        }

        @Test
        void comparesWithThePreviousLocatedPayment() throws Exception {
            try (var h = new Harness()) {
                h.rule(fasterThan(900));
                h.pay(payment("paris", HOUR, 10, "FR", 48.8566, 2.3522, null));
                h.pay(payment("online", HOUR + MINUTE, 10));
                h.pay(payment("berlin", HOUR + 2 * MINUTE, 10, "DE", 52.52, 13.405, null));

                assertThat(h.alerts()).extracting(FraudAlert::getTransactionId).containsExactly("tx-berlin");
            }
        }
    }

    @Nested
    class NewDeviceHighAmount {
        @Test
        void firesAtLeastTheAmountOnANewDeviceOnly() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("newdev", 1, RuleType.NEW_DEVICE_HIGH_AMOUNT, 0).setMinAmountUsd(2000.0).build());
                h.pay(payment("below", MINUTE, 1999.99), true);
                h.pay(payment("known", 2 * MINUTE, 5000), false);
                h.pay(payment("at", 3 * MINUTE, 2000), true);

                assertThat(h.alerts()).extracting(FraudAlert::getTransactionId).containsExactly("tx-at");
            }
        }
    }

    @Nested
    class RuleChanges {
        @Test
        void aNewVersionAppliesFromItsEffectiveTimeOn() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("big", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m").setThreshold(100.0)
                        .build());
                h.pay(payment("before", 10 * MINUTE, 200));
                h.rule(rule("big", 2, RuleType.FEATURE_THRESHOLD, 20 * MINUTE).setFeature("card.sum_usd_1m")
                        .setThreshold(500.0).build());
                h.pay(payment("still-v1", 20 * MINUTE - 1, 200));
                h.pay(payment("v2-below", 20 * MINUTE + MINUTE, 200));
                h.pay(payment("v2-above", 30 * MINUTE, 600));

                assertThat(h.alerts()).extracting(a -> a.getTransactionId() + "@v" + a.getRuleVersion())
                        .containsExactly("tx-before@v1", "tx-still-v1@v1", "tx-v2-above@v2");
            }
        }

        @Test
        void aDisabledVersionStopsTheRule() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("big", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m").setThreshold(100.0)
                        .build());
                h.rule(rule("big", 2, RuleType.FEATURE_THRESHOLD, 5 * MINUTE).setFeature("card.sum_usd_1m")
                        .setThreshold(100.0).setEnabled(false).build());
                h.pay(payment("on", MINUTE, 200));
                h.pay(payment("off", 6 * MINUTE, 200));

                assertThat(h.alerts()).extracting(FraudAlert::getTransactionId).containsExactly("tx-on");
            }
        }

        @Test
        void aTombstoneDeletesTheRuleUntilItIsPublishedAgain() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("big", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m").setThreshold(100.0)
                        .build());
                h.rule(rule("big", 2, RuleType.FEATURE_THRESHOLD, 5 * MINUTE).setFeature("card.sum_usd_1m")
                        .setThreshold(100.0).build());
                h.pay(payment("before", MINUTE, 200));
                h.deleteRule("big");
                h.pay(payment("deleted", 10 * MINUTE, 200));
                h.pay(payment("deleted-earlier-event", 2 * MINUTE, 200));
                h.rule(rule("big", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m").setThreshold(100.0)
                        .build());
                h.pay(payment("again", 20 * MINUTE, 200));

                assertThat(h.alerts()).extracting(FraudAlert::getTransactionId).containsExactly("tx-before", "tx-again");
            }
        }

        @Test
        void anOlderVersionArrivingLateIsIgnored() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("big", 2, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m").setThreshold(500.0)
                        .build());
                h.rule(rule("big", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m").setThreshold(100.0)
                        .build());
                h.pay(payment("a", MINUTE, 200));

                assertThat(h.alerts()).isEmpty();
            }
        }
    }

    /**
     * A fresh start scores with the rules read at start until the broadcast input has brought them:
     * without them, a payment that arrives before its rule raises nothing.
     */
    @Nested
    class RulesReadAtStart {
        private final FraudRule big = rule("big", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m")
                .setThreshold(100.0).build();
        private final FraudRule small = rule("small", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m")
                .setThreshold(10.0).build();

        /** The rules topic: {@code big} at offset 0, {@code small} at 1, then {@code small}'s tombstone at 2. */
        private final List<Decoded<FraudRule>> topic = List.of(at(Decoded.value(big), 0), at(Decoded.value(small), 1),
                at(Decoded.tombstone("small"), 2));

        @Test
        void aPaymentBeforeAnyBroadcastRuleIsScoredWithTheRulesOfTheTopic() throws Exception {
            try (var h = new Harness(true, null, readAtStart(topic))) {
                h.pay(payment("first", MINUTE, 50));
                h.pay(payment("second", 2 * MINUTE, 200));

                // small was deleted at offset 2: only big is in effect.
                assertThat(h.alerts()).extracting(a -> a.getRuleId() + ":" + a.getTransactionId())
                        .containsExactly("big:tx-second");
            }
        }

        @Test
        void untilTheBroadcastHasCaughtUpItsPartialRulesAreNotScoredWith() throws Exception {
            try (var h = new Harness(true, null, readAtStart(topic))) {
                h.ruleChange(topic.get(0));
                h.ruleChange(topic.get(1));
                h.pay(payment("small-deleted", MINUTE, 50));
                h.ruleChange(topic.get(2));
                // Caught up; a change after what the start read applies at once.
                h.ruleChange(at(Decoded.tombstone("big"), 3));
                h.pay(payment("big-deleted", 2 * MINUTE, 200));
                h.ruleChange(at(Decoded.value(small), 4));
                h.pay(payment("small-again", 3 * MINUTE, 50));

                assertThat(h.alerts()).extracting(a -> a.getRuleId() + ":" + a.getTransactionId())
                        .containsExactly("small:tx-small-again");
            }
        }

        @Test
        void aRestoreReadsNothingAtStart() throws Exception {
            OperatorSubtaskState snapshot;
            try (var h = new Harness()) {
                snapshot = h.harness.snapshot(1, 1);
            }
            try (var restored = new Harness(true, snapshot, failing())) {
                restored.pay(payment("a", MINUTE, 200));

                assertThat(restored.alerts()).isEmpty();
            }
        }

        @Test
        void aRestoreOfACheckpointTakenWhileCatchingUpReadsAgain() throws Exception {
            OperatorSubtaskState snapshot;
            // The checkpoint's broadcast state holds big alone (offset 0 of the topic's 0-2).
            try (var h = new Harness(true, null, readAtStart(topic))) {
                h.ruleChange(topic.get(0));
                snapshot = h.harness.snapshot(1, 1);
            }
            // Since then small was published again (offset 3): read again, it scores before the broadcast brings it.
            List<Decoded<FraudRule>> grown = List.of(topic.get(0), topic.get(1), topic.get(2), at(Decoded.value(small), 3));
            try (var restored = new Harness(true, snapshot, readAtStart(grown))) {
                restored.pay(payment("c", MINUTE, 50));

                assertThat(restored.alerts()).extracting(a -> a.getRuleId() + ":" + a.getTransactionId())
                        .containsExactly("small:tx-c");
            }
        }

        @Test
        void onceCaughtUpItScoresWithTheBroadcastStateAndARestoreReadsNothing() throws Exception {
            OperatorSubtaskState snapshot;
            try (var h = new Harness(true, null, readAtStart(topic))) {
                for (Decoded<FraudRule> change : topic) {
                    h.ruleChange(change);
                }
                snapshot = h.harness.snapshot(1, 1);
            }
            try (var restored = new Harness(true, snapshot, failing())) {
                restored.pay(payment("a", MINUTE, 200));

                assertThat(restored.alerts()).extracting(a -> a.getRuleId() + ":" + a.getTransactionId())
                        .containsExactly("big:tx-a");
            }
        }

        @Test
        void everyPartitionReadMustBeCaughtUpWithAndOthersApplyToBoth() throws Exception {
            // big on partition 0 (offset 0), small on partition 1 (offset 5); partition 2 had nothing at start.
            List<Decoded<FraudRule>> read = List.of(at(Decoded.value(big), 0, 0), at(Decoded.value(small), 1, 5));
            try (var h = new Harness(true, null, readAtStart(read, Map.of(0, 0L, 1, 5L)))) {
                h.ruleChange(at(Decoded.value(big), 0, 0));
                h.pay(payment("partition-1-behind", MINUTE, 50));
                h.ruleChange(at(Decoded.tombstone("big"), 2, 0));
                h.pay(payment("big-deleted-on-2", 2 * MINUTE, 200));
                h.ruleChange(at(Decoded.value(small), 1, 5));
                h.pay(payment("caught-up", 3 * MINUTE, 50));

                assertThat(h.alerts()).extracting(a -> a.getRuleId() + ":" + a.getTransactionId())
                        .containsExactly("small:tx-partition-1-behind", "small:tx-big-deleted-on-2", "small:tx-caught-up");
            }
        }

        @Test
        void aRuleChangeWithoutItsOffsetFailsTheStageWhileCatchingUp() throws Exception {
            try (var h = new Harness(true, null, readAtStart(topic))) {
                assertThatThrownBy(() -> h.rule(big)).hasStackTraceContaining("withOrigin()");
            }
        }

        @Test
        void aRestoreThatReadsAgainDoesNotWaitForAPartitionTheBroadcastHadBroughtFurther() throws Exception {
            OperatorSubtaskState snapshot;
            // Partition 0 caught up to offset 3, partition 1 still behind at the checkpoint.
            List<Decoded<FraudRule>> first = List.of(at(Decoded.value(big), 0, 3), at(Decoded.value(small), 1, 5));
            try (var h = new Harness(true, null, readAtStart(first, Map.of(0, 3L, 1, 5L)))) {
                h.ruleChange(at(Decoded.value(big), 0, 3));
                snapshot = h.harness.snapshot(1, 1);
            }
            // Read again: partition 0's last change now at offset 1 (the one at 3 compacted away under a dead letter).
            List<Decoded<FraudRule>> again = List.of(at(Decoded.value(big), 0, 1), at(Decoded.value(small), 1, 5));
            try (var restored = new Harness(true, snapshot, readAtStart(again, Map.of(0, 1L, 1, 5L)))) {
                restored.ruleChange(at(Decoded.value(small), 1, 5));
                snapshot = restored.harness.snapshot(2, 2);
            }
            try (var restored = new Harness(true, snapshot, failing())) {
                restored.pay(payment("b", MINUTE, 50));

                assertThat(restored.alerts()).extracting(a -> a.getRuleId() + ":" + a.getTransactionId())
                        .containsExactly("small:tx-b");
            }
        }

        private static Decoded<FraudRule> at(Decoded<FraudRule> change, long offset) {
            return at(change, 0, offset);
        }

        private static Decoded<FraudRule> at(Decoded<FraudRule> change, int partition, long offset) {
            Origin origin = new Origin();
            origin.topic = "fraud.rules.v1";
            origin.partition = partition;
            origin.offset = offset;
            change.origin = origin;
            return change;
        }

        private static RulesAtStart readAtStart(List<Decoded<FraudRule>> changes) {
            return readAtStart(changes, Map.of(0, changes.get(changes.size() - 1).origin.offset));
        }

        private static RulesAtStart readAtStart(List<Decoded<FraudRule>> changes, Map<Integer, Long> lastOffsets) {
            return (context, subtask) -> new RulesAtStart.Read(changes, lastOffsets);
        }

        private static RulesAtStart failing() {
            return (context, subtask) -> {
                throw new AssertionError("a restore read the rules topic");
            };
        }
    }

    @Nested
    class Alerts {
        @Test
        void carryADeterministicIdAndAreNeverRepeatedForARestoredReplay() throws Exception {
            FraudRule rule = rule("any", 3, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.count_1m").setThreshold(0.0)
                    .build();
            OperatorSubtaskState snapshot;
            try (var h = new Harness()) {
                h.rule(rule);
                h.pay(payment("a", MINUTE, 1));
                h.pay(payment("a", MINUTE, 1));
                assertThat(h.alerts()).singleElement().satisfies(alert -> {
                    assertThat(alert.getAlertId()).isEqualTo(AlertFactory.alertId("any", 3, "tx-a"));
                    assertThat(alert.getRuleType()).isEqualTo(RuleType.FEATURE_THRESHOLD);
                    assertThat(alert.getCardToken()).isEqualTo(FraudTestData.CARD);
                    assertThat(alert.getEventTime().toEpochMilli()).isEqualTo(MINUTE);
                });
                snapshot = h.harness.snapshot(1, 1);
            }
            try (var restored = new Harness(true, snapshot)) {
                restored.pay(payment("a", MINUTE, 1));
                restored.pay(payment("b", 2 * MINUTE, 1));

                assertThat(restored.alerts()).extracting(FraudAlert::getTransactionId).containsExactly("tx-b");
            }
        }
    }

    @Nested
    class Features {
        @Test
        void goOutForTheCardAndTheAccount() throws Exception {
            try (var h = new Harness()) {
                h.pay(payment("a", MINUTE, 25));
                h.pay(payment("b", MINUTE + 1, 25));

                assertThat(h.features()).extracting(f -> f.entity + " " + f.id).containsExactly(
                        "CARD card-token-1", "ACCOUNT acc-1", "CARD card-token-1", "ACCOUNT acc-1");
                FeatureSnapshot card = h.features().get(2);
                assertThat(card.eventTime).isEqualTo(MINUTE + 1);
                assertThat(card.values[Feature.CARD_COUNT_1M.index()]).isEqualTo(2);
                assertThat(card.values[Feature.CARD_SUM_USD_24H.index()]).isEqualTo(50);
                assertThat(card.values[Feature.CARD_AMOUNT_MEAN_USD.index()]).isEqualTo(25);
            }
        }

        @Test
        void anIdleCardIsForgottenAfterTheRetention() throws Exception {
            long retention = CARD_RETENTION.toMillis();
            try (var kept = new Harness(); var forgotten = new Harness()) {
                for (Harness h : List.of(kept, forgotten)) {
                    h.pay(payment("a", MINUTE, 25));
                }
                kept.harness.watermark(MINUTE + retention - HOUR);
                kept.pay(payment("b", MINUTE + retention - HOUR, 75));
                forgotten.harness.watermark(MINUTE + retention + HOUR);
                forgotten.pay(payment("b", MINUTE + retention + HOUR, 75));

                assertThat(kept.features().get(2).values[Feature.CARD_AMOUNT_MEAN_USD.index()]).isEqualTo(25);
                assertThat(forgotten.features().get(2).values[Feature.CARD_AMOUNT_MEAN_USD.index()]).isZero();
            }
        }

        @Test
        void aBusyCardHasOneRetentionTimerAnHourAndIsForgottenARetentionAfterItsNewestPayment() throws Exception {
            long retention = CARD_RETENTION.toMillis();
            try (var h = new Harness()) {
                for (int i = 1; i <= 50; i++) {
                    h.pay(payment("p" + i, HOUR + 10 * MINUTE + i * SECOND, 25));
                }
                assertThat(h.harness.numEventTimeTimers()).as("fifty payments in an hour").isEqualTo(1);
                h.pay(payment("older", 30 * MINUTE, 25));
                assertThat(h.harness.numEventTimeTimers()).as("an older payment, of an earlier hour").isEqualTo(1);
                h.pay(payment("next", 2 * HOUR + MINUTE, 25));
                assertThat(h.harness.numEventTimeTimers()).as("a payment in a later hour").isEqualTo(2);

                h.harness.watermark(2 * HOUR + retention);
                assertThat(h.keysWithState("card-history")).as("a retention after the first hours").isNotEmpty();
                h.harness.watermark(3 * HOUR + retention);
                assertThat(h.keysWithState("card-history")).as("a retention after the newest payment").isEmpty();
                assertThat(h.harness.numEventTimeTimers()).isZero();
            }
        }
    }

    @Nested
    class Erasure {
        @Test
        void aMarkerClearsTheCardsHistoryAlertIdsAndTimers() throws Exception {
            try (var h = new Harness()) {
                h.rule(rule("sum10m", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_10m")
                        .setThreshold(10.0).build());
                h.pay(payment("a", MINUTE, 25));
                h.pay(payment("b", 2 * HOUR, 25));
                assertThat(h.alerts()).isNotEmpty();
                assertThat(h.keysWithState("card-history")).containsExactly(FraudTestData.CARD);
                assertThat(h.keysWithState("alert-ids")).containsExactly(FraudTestData.CARD);
                assertThat(h.harness.numEventTimeTimers()).isEqualTo(2);

                h.erase(FraudTestData.CARD);

                assertThat(h.keysWithState("card-history")).isEmpty();
                assertThat(h.keysWithState("alert-ids")).isEmpty();
                assertThat(h.harness.numEventTimeTimers()).isZero();
            }
        }

        @Test
        void theCardStartsAfreshAfterItsErasureAndOtherCardsKeepTheirs() throws Exception {
            try (var h = new Harness()) {
                EnrichedTransaction other = payment("o", MINUTE, 40);
                other.setCardToken("other-card");
                h.pay(other);
                h.pay(payment("a", MINUTE, 25));
                h.harness.watermark(HOUR);

                h.erase(FraudTestData.CARD);
                h.pay(payment("b", 2 * HOUR, 75));

                FeatureSnapshot card = h.features().get(h.features().size() - 2);
                assertThat(card.values[Feature.CARD_AMOUNT_MEAN_USD.index()]).as("no history before").isZero();
                assertThat(h.keysWithState("card-history")).containsExactlyInAnyOrder("other-card", FraudTestData.CARD);
                assertThat(h.alerts()).isEmpty();
            }
        }
    }
}
