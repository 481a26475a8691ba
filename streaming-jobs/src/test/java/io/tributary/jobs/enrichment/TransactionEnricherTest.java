package io.tributary.jobs.enrichment;

import static io.tributary.jobs.enrichment.EnricherHarness.ACCOUNT;
import static io.tributary.jobs.enrichment.EnricherHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.RiskLevel;
import io.tributary.jobs.common.StateTtls;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link TransactionEnricher} alone, in Flink's operator test harness on RocksDB. */
class TransactionEnricherTest {

    @Nested
    class Deduplication {
        @Test
        void aRetryOfAnEventIsDroppedEvenAfterTheFirstWentOut() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("e1", 1_000));
                h.payment(payment("e1", 1_000));
                h.watermark(1_000);
                h.payment(payment("e1", 1_000));
                h.watermark(5_000);

                assertThat(h.enriched()).extracting(EnrichedTransaction::getEventId)
                        .containsExactly(UUID.nameUUIDFromBytes("e1".getBytes()));
            }
        }

        @Test
        void anEventIdReusedWithOtherContentIsADeadLetterAndTheFirstIsKept() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("e1", 1_000));
                MaskedTransaction conflicting = payment("e1", 1_000);
                conflicting.setAmount(new BigDecimal("99.0000"));
                h.payment(conflicting);
                h.payment(payment("e1", 1_000));
                h.watermark(5_000);

                assertThat(h.enriched()).singleElement()
                        .satisfies(e -> assertThat(e.getAmount()).isEqualByComparingTo("10"));
                assertThat(h.deadLetters()).singleElement().satisfies(d -> {
                    assertThat(d.getReason()).isEqualTo(RejectionReason.DUPLICATE_CONFLICT.name());
                    assertThat(d.getSourceTopic()).isEqualTo("payments.transactions.v1");
                    assertThat(d.getSourceOffset()).isEqualTo(1);
                    assertThat(d.getSourceTimestamp().toEpochMilli()).isEqualTo(1_000);
                    assertThat(d.getOriginalValue()).isNull();
                    assertThat(d.getJob()).isEqualTo("transactions-enrichment");
                    assertThat(d.getReasonDetail()).doesNotContain("99", "token", "4242");
                });
            }
        }

        @Test
        void theSameEventIdUnderAnotherAccountIsAnotherPayment() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.payment(payment("e1", 1_000));
                MaskedTransaction other = payment("e1", 1_000);
                other.setAccountId("acc-2");
                h.payment(other);
                h.watermark(1_000 + EnricherHarness.ACCOUNT_WAIT.toMillis());

                assertThat(h.enriched()).extracting(EnrichedTransaction::getAccountId)
                        .containsExactlyInAnyOrder(ACCOUNT, "acc-2");
                assertThat(h.deadLetters()).isEmpty();
            }
        }

        @Test
        void anEventIdIsForgottenOnceItsTimeToLiveHasPassed() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.harness.setStateTtlProcessingTime(0);
                h.payment(payment("e1", 1_000));
                h.watermark(1_000);

                h.harness.setStateTtlProcessingTime(EnricherHarness.DEDUP_TTL.toMillis() - 1);
                h.payment(payment("e1", 1_000));
                h.harness.setStateTtlProcessingTime(EnricherHarness.DEDUP_TTL.toMillis() + 1);
                h.payment(payment("e1", 2_000));
                h.watermark(3_000);

                assertThat(h.enriched()).hasSize(2);
            }
        }

        @Test
        void eventIdsRememberedBeforeFingerprintsStillDropRetriesAfterTheUpgrade() throws Exception {
            OperatorSubtaskState savepoint = FormerDedupState.eventIdsOnly().savepointAfter(payment("e1", 1_000));
            try (var restored = EnricherHarness.restore(savepoint)) {
                restored.profile(ACCOUNT, RiskLevel.LOW, 0);
                restored.payment(payment("e1", 1_000));
                restored.payment(payment("e2", 1_500));
                restored.watermark(2_000);

                assertThat(restored.enriched()).extracting(e -> e.getTransactionId()).containsExactly("tx-e2");
                assertThat(restored.deadLetters()).isEmpty();
            }
        }

        @Test
        void fingerprintsOfTheFormerKindStillTellRetriesFromConflictsAfterTheUpgrade() throws Exception {
            OperatorSubtaskState savepoint = FormerDedupState.textFingerprints()
                    .savepointAfter(payment("e1", 1_000), payment("e2", 1_000));
            try (var restored = EnricherHarness.restore(savepoint)) {
                restored.profile(ACCOUNT, RiskLevel.LOW, 0);
                restored.payment(payment("e1", 1_000));
                MaskedTransaction conflicting = payment("e2", 1_000);
                conflicting.setAmount(new BigDecimal("999.0000"));
                restored.payment(conflicting);
                restored.payment(payment("e3", 1_500));
                restored.watermark(2_000);

                assertThat(restored.enriched()).as("e1 is a retry, e3 new").extracting(e -> e.getTransactionId())
                        .containsExactly("tx-e3");
                assertThat(restored.deadLetters()).singleElement()
                        .satisfies(d -> assertThat(d.getReason()).isEqualTo(RejectionReason.DUPLICATE_CONFLICT.name()));
            }
        }

        @Test
        void rememberedEventIdsSurviveARestart() throws Exception {
            OperatorSubtaskState snapshot;
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("e1", 1_000));
                h.watermark(1_000);
                snapshot = h.snapshot();
            }
            try (var restored = EnricherHarness.restore(snapshot)) {
                restored.payment(payment("e1", 1_000));
                restored.payment(payment("e2", 1_500));
                restored.watermark(2_000);

                assertThat(restored.enriched()).extracting(e -> e.getTransactionId()).containsExactly("tx-e2");
            }
        }
    }

    @Nested
    class EventTime {
        @Test
        void goesOutAtOnceWhenItsAccountAndRateAreKnown() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.rate("EUR", "1.1", 0);
                h.payment(payment("e1", 1_000));

                assertThat(h.enriched()).singleElement()
                        .satisfies(e -> assertThat(e.getAmountUsd()).isEqualByComparingTo("11"));
            }
        }

        @Test
        void holdsAnEventWithoutAKnownRateUntilTheWatermarkPassesItsTime() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("e1", 1_000));
                h.watermark(999);
                assertThat(h.enriched()).isEmpty();

                h.watermark(1_000);
                assertThat(h.enriched()).hasSize(1);
            }
        }

        @Test
        void sendsAnEventBeyondTheAllowedLatenessToTheLateOutputAndNotOneAtTheLimit() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("newest", 105_000));
                h.watermark(100_000);
                h.payment(payment("at-limit", 100_000 - 60_000));
                h.payment(payment("beyond", 100_000 - 60_001));
                h.watermark(105_000);

                assertThat(h.enriched()).extracting(e -> e.getTransactionId())
                        .containsExactlyInAnyOrder("tx-at-limit", "tx-newest");
                assertThat(h.late()).singleElement().satisfies(l -> {
                    assertThat(l.getTransaction().getTransactionId()).isEqualTo("tx-beyond");
                    assertThat(l.getWatermark().toEpochMilli()).isEqualTo(100_000);
                    assertThat(l.getAllowedLatenessMs()).isEqualTo(60_000);
                });
            }
        }

        @Test
        void aPaymentDatedAheadOfItsArrivalDoesNotMakeTheNextOnesLate() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("on-time", 100_000, "USD", "m-1"));
                // Within the allowed future skew of when it reached Kafka, and its partition's
                // watermark followed it while the others were idle.
                h.payment(payment("ahead", 100_000 + Duration.ofMinutes(4).toMillis(), "USD", "m-1"), 100_000);
                h.watermark(100_000 + Duration.ofMinutes(4).toMillis() - 5_000);
                h.payment(payment("next", 101_000, "USD", "m-1"));

                assertThat(h.late()).isEmpty();
                assertThat(h.enriched()).extracting(e -> e.getTransactionId())
                        .containsExactlyInAnyOrder("tx-on-time", "tx-ahead", "tx-next");
            }
        }

        @Test
        void aWatermarkAheadOfThePaymentsDoesNotMakeThemLate() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("first", 1_000));
                // The payments went idle; FX rates valid tomorrow pushed the watermark a day ahead.
                h.watermark(86_400_000);
                h.payment(payment("next", 2_000));
                h.watermark(86_400_001);

                assertThat(h.late()).isEmpty();
                assertThat(h.enriched()).extracting(e -> e.getTransactionId())
                        .containsExactlyInAnyOrder("tx-first", "tx-next");
            }
        }

        @Test
        void judgesLatenessAgainstTheWatermarkSeenBeforeARestart() throws Exception {
            OperatorSubtaskState snapshot;
            try (var h = EnricherHarness.start()) {
                h.watermark(500_000);
                h.payment(payment("on-time", 499_000));
                snapshot = h.snapshot();
            }
            try (var restored = EnricherHarness.restore(snapshot)) {
                // No watermark has arrived since the restart.
                restored.payment(payment("old", 100_000));
                assertThat(restored.late()).hasSize(1);
            }
        }
    }

    @Nested
    class Accounts {
        @Test
        void aPaymentBeforeItsAccountWaitsAndGoesOutWhenTheProfileArrives() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.payment(payment("e1", 1_000));
                h.watermark(10_000);
                assertThat(h.enriched()).isEmpty();

                h.profile(ACCOUNT, RiskLevel.HIGH, 500);

                assertThat(h.enriched()).singleElement().satisfies(e -> {
                    assertThat(e.getAccountKnown()).isTrue();
                    assertThat(e.getAccountRiskTier()).isEqualTo(RiskLevel.HIGH);
                    assertThat(e.getAccountHomeCountry()).isEqualTo("DE");
                });
            }
        }

        @Test
        void aPaymentWhoseAccountNeverComesGoesOutFlaggedAfterTheWait() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.payment(payment("e1", 1_000));
                h.watermark(1_000 + EnricherHarness.ACCOUNT_WAIT.toMillis() - 1);
                assertThat(h.enriched()).isEmpty();

                h.watermark(1_000 + EnricherHarness.ACCOUNT_WAIT.toMillis());
                assertThat(h.enriched()).singleElement().satisfies(e -> {
                    assertThat(e.getAccountKnown()).isFalse();
                    assertThat(e.getAccountRiskTier()).isNull();
                });
            }
        }

        @Test
        void enrichesWithTheProfileVersionInEffectAtTheEventTime() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.profile(ACCOUNT, RiskLevel.HIGH, 2_000);
                h.payment(payment("before", 1_999));
                h.payment(payment("at", 2_000));
                h.watermark(3_000);

                assertThat(h.enriched()).extracting(e -> e.getTransactionId() + ":" + e.getAccountRiskTier())
                        .containsExactlyInAnyOrder("tx-before:LOW", "tx-at:HIGH");
            }
        }

        @Test
        void aTombstoneForgetsTheAccount() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.MEDIUM, 0);
                h.forget(ACCOUNT);
                h.payment(payment("e1", 1_000));
                h.watermark(1_000 + EnricherHarness.ACCOUNT_WAIT.toMillis());

                assertThat(h.enriched()).singleElement()
                        .satisfies(e -> assertThat(e.getAccountKnown()).isFalse());
            }
        }
    }

    @Nested
    class Erasure {
        /** Every keyed state of the enricher: a tombstone must leave none of them holding the account. */
        private static final List<String> KEYED_STATES = List.of("event-fingerprints", "seen-event-ids",
                "waiting-for-watermark", "waiting-for-account", "profile-history");

        @Test
        void aTombstoneClearsEveryStateAndTimerOfTheAccount() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.payment(payment("waits-for-account", 1_000)); // no profile: past the watermark it waits more
                h.watermark(1_000);
                h.payment(payment("waits-for-watermark", 5_000));
                assertThat(h.keysWithState("event-fingerprints")).containsExactly(ACCOUNT);
                assertThat(h.keysWithState("waiting-for-account")).containsExactly(ACCOUNT);
                assertThat(h.keysWithState("waiting-for-watermark")).containsExactly(ACCOUNT);
                assertThat(h.eventTimeTimers()).isEqualTo(2);

                h.forget(ACCOUNT);

                for (String state : KEYED_STATES) {
                    assertThat(h.keysWithState(state)).as(state).isEmpty();
                }
                assertThat(h.eventTimeTimers()).isZero();
                assertThat(h.enriched()).extracting(EnrichedTransaction::getTransactionId)
                        .containsExactly("tx-waits-for-account", "tx-waits-for-watermark");
            }
        }

        @Test
        void heldPaymentsGoOutAtOnceAsAnUnknownAccountsAndNothingIsLost() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.MEDIUM, 0);
                h.payment(payment("held", 2_000)); // waits for the watermark (no EUR rate)
                h.payment(payment("earlier", 1_000));
                assertThat(h.enriched()).isEmpty();

                h.forget(ACCOUNT);

                assertThat(h.enriched()).extracting(e -> e.getTransactionId() + ":" + e.getAccountKnown())
                        .containsExactly("tx-earlier:false", "tx-held:false");
                h.watermark(1_000_000);
                assertThat(h.enriched()).as("no second release by a timer").hasSize(2);
            }
        }

        @Test
        void aTombstoneCountsTheAccountAsForgottenAndLaterPaymentsAreNew() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.MEDIUM, 0);
                h.payment(payment("e1", 1_000, "USD", "m-1"));
                h.forget(ACCOUNT);
                // The event id is forgotten with the account: a retry after the erasure goes out again.
                h.payment(payment("e1", 1_000, "USD", "m-1"));
                h.watermark(1_000 + EnricherHarness.ACCOUNT_WAIT.toMillis());

                assertThat(h.enriched()).extracting(EnrichedTransaction::getAccountKnown).containsExactly(true, false);
                assertThat(h.keysWithState("profile-history")).isEmpty();
            }
        }
    }

    @Nested
    class Reference {
        @Test
        void convertsWithTheRateValidAtTheEventTimeAtTheExactBoundary() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.rate("EUR", "1.1", 1_000);
                h.rate("EUR", "1.2", 2_000);
                h.payment(payment("before-any", 999));
                h.payment(payment("first", 1_999));
                h.payment(payment("boundary", 2_000));
                h.watermark(3_000);

                assertThat(h.enriched()).extracting(e -> e.getTransactionId() + ":" + e.getAmountUsd())
                        .containsExactlyInAnyOrder("tx-before-any:null", "tx-first:11.0000", "tx-boundary:12.0000");
                assertThat(h.enriched()).filteredOn(e -> e.getTransactionId().equals("tx-before-any")).singleElement()
                        .satisfies(e -> {
                            assertThat(e.getFxRateKnown()).isFalse();
                            assertThat(e.getFxRateToUsd()).isNull();
                        });
                assertThat(h.enriched()).filteredOn(e -> e.getTransactionId().equals("tx-boundary")).singleElement()
                        .satisfies(e -> assertThat(e.getFxRateValidFrom().toEpochMilli()).isEqualTo(2_000));
            }
        }

        @Test
        void usDollarsNeedNoRate() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.payment(payment("usd", 1_000, "USD", "m-1"));
                h.watermark(1_000);

                assertThat(h.enriched()).singleElement().satisfies(e -> {
                    assertThat(e.getFxRateKnown()).isTrue();
                    assertThat(e.getAmountUsd()).isEqualByComparingTo(new BigDecimal("10"));
                    assertThat(e.getFxRateValidFrom()).isNull();
                });
            }
        }

        @Test
        void addsTheMerchantOrFlagsItUnknown() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.merchant("m-1", "5411");
                h.payment(payment("known", 1_000, "USD", "m-1"));
                h.payment(payment("unknown", 1_000, "USD", "m-2"));
                h.watermark(1_000);

                assertThat(h.enriched()).extracting(e -> e.getTransactionId() + ":" + e.getMerchantKnown() + ":"
                                + e.getMerchantCategoryCode())
                        .containsExactlyInAnyOrder("tx-known:true:5411", "tx-unknown:false:null");
            }
        }

        @Test
        void aDeletedMerchantIsUnknownFromItsTombstoneOn() throws Exception {
            try (var h = EnricherHarness.start()) {
                h.profile(ACCOUNT, RiskLevel.LOW, 0);
                h.merchant("m-1", "5411");
                h.payment(payment("before", 1_000, "USD", "m-1"));
                h.deleteMerchant("m-1");
                h.payment(payment("after", 2_000, "USD", "m-1"));
                h.watermark(2_000);

                assertThat(h.enriched()).extracting(e -> e.getTransactionId() + ":" + e.getMerchantKnown())
                        .containsExactlyInAnyOrder("tx-before:true", "tx-after:false");
            }
        }

        @Test
        void ratesSurviveARestart() throws Exception {
            OperatorSubtaskState snapshot;
            try (var h = EnricherHarness.start()) {
                h.rate("EUR", "1.5", 0);
                snapshot = h.snapshot();
            }
            try (var restored = EnricherHarness.restore(snapshot)) {
                restored.profile(ACCOUNT, RiskLevel.LOW, 0);
                restored.payment(payment("e1", 1_000));
                restored.watermark(Duration.ofSeconds(1).toMillis());

                assertThat(restored.enriched()).singleElement()
                        .satisfies(e -> assertThat(e.getAmountUsd()).isEqualByComparingTo("15"));
            }
        }
    }

    /**
     * The deduplication state as an earlier version kept it, event id to a value: event ids only
     * (before fingerprints), or the text fingerprints kept until December 2026.
     */
    private static final class FormerDedupState<V>
            extends KeyedBroadcastProcessFunction<String, AccountEvent, ReferenceUpdate, EnrichedTransaction> {
        private final String stateName;
        private final TypeInformation<V> valueType;
        private final SerializableFunction<MaskedTransaction, V> value;
        private transient MapState<String, V> seen;

        private FormerDedupState(String stateName, TypeInformation<V> valueType,
                SerializableFunction<MaskedTransaction, V> value) {
            this.stateName = stateName;
            this.valueType = valueType;
            this.value = value;
        }

        static FormerDedupState<Boolean> eventIdsOnly() {
            return new FormerDedupState<>("seen-event-ids", Types.BOOLEAN, t -> Boolean.TRUE);
        }

        static FormerDedupState<Long> textFingerprints() {
            return new FormerDedupState<>("event-fingerprints", Types.LONG, ContentFingerprint::legacyOf);
        }

        /** A savepoint of this earlier version, on RocksDB, after it saw {@code payments}. */
        OperatorSubtaskState savepointAfter(MaskedTransaction... payments) throws Exception {
            try (var former = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(this,
                    List.of(TransactionEnricher.MERCHANTS, TransactionEnricher.FX_RATES)),
                    AccountEvent::getAccountId, Types.STRING, 1, 1, 0)) {
                former.setStateBackend(new EmbeddedRocksDBStateBackend());
                former.open();
                for (MaskedTransaction t : payments) {
                    former.processElement(AccountEvent.payment(t, null), t.getEventTime().toEpochMilli());
                }
                return former.snapshot(1L, 1L);
            }
        }

        @Override
        public void open(OpenContext context) {
            seen = getRuntimeContext().getMapState(
                    StateTtls.expiringMap(stateName, Types.STRING, valueType, EnricherHarness.DEDUP_TTL));
        }

        @Override
        public void processElement(AccountEvent event, ReadOnlyContext ctx, Collector<EnrichedTransaction> out)
                throws Exception {
            seen.put(event.transaction.getEventId().toString(), value.apply(event.transaction));
        }

        @Override
        public void processBroadcastElement(ReferenceUpdate update, Context ctx, Collector<EnrichedTransaction> out) {}
    }
}
