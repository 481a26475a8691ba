package io.tributary.jobs.enrichment;

import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.LateTransaction;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.events.PaymentChannel;
import io.tributary.events.RiskLevel;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.common.DeadLetterRouter;
import io.tributary.jobs.common.Origin;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * A {@link TransactionEnricher} in Flink's keyed-broadcast operator test harness, on RocksDB as in
 * production, with the job's defaults: 5 s out-of-orderness, 60 s allowed lateness, 30 s account
 * wait, 24 h dedup TTL.
 */
final class EnricherHarness implements AutoCloseable {
    static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    static final Duration ALLOWED_LATENESS = Duration.ofSeconds(60);
    static final Duration ACCOUNT_WAIT = Duration.ofSeconds(30);
    static final Duration DEDUP_TTL = Duration.ofHours(24);
    static final String ACCOUNT = "acc-1";

    final KeyedBroadcastOperatorTestHarness<String, AccountEvent, ReferenceUpdate, EnrichedTransaction> harness;
    private long offsets;

    private EnricherHarness(OperatorSubtaskState restoreFrom) throws Exception {
        TransactionEnricher enricher = new TransactionEnricher(MAX_OUT_OF_ORDERNESS, ALLOWED_LATENESS, ACCOUNT_WAIT,
                DEDUP_TTL, Duration.ofDays(7), "transactions-enrichment");
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(enricher,
                        List.of(TransactionEnricher.MERCHANTS, TransactionEnricher.FX_RATES)),
                AccountEvent::getAccountId, Types.STRING, 1, 1, 0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
    }

    static EnricherHarness start() throws Exception {
        return new EnricherHarness(null);
    }

    static EnricherHarness restore(OperatorSubtaskState state) throws Exception {
        return new EnricherHarness(state);
    }

    /** A payment read from Kafka at offset {@code offsets++}, appended at its event time. */
    void payment(MaskedTransaction t) throws Exception {
        payment(t, t.getEventTime().toEpochMilli());
    }

    /** A payment read from Kafka at offset {@code offsets++}, appended to its topic at {@code receivedAt}. */
    void payment(MaskedTransaction t, long receivedAt) throws Exception {
        Origin origin = new Origin();
        origin.topic = "payments.transactions.v1";
        origin.offset = offsets++;
        origin.timestamp = receivedAt;
        origin.receivedAt = receivedAt;
        harness.processElement(AccountEvent.payment(t, origin), t.getEventTime().toEpochMilli());
    }

    void profile(String account, RiskLevel tier, long updatedAt) throws Exception {
        harness.processElement(AccountEvent.profile(new AccountSnapshot(account, tier, "DE", updatedAt)), updatedAt);
    }

    void forget(String account) throws Exception {
        harness.processElement(new StreamRecord<>(AccountEvent.forget(account)));
    }

    void merchant(String id, String category) throws Exception {
        harness.processBroadcastElement(ReferenceUpdate.of(Merchant.newBuilder().setMerchantId(id).setName("Shop " + id)
                .setCategoryCode(category).setCountry("DE").setRiskLevel(RiskLevel.LOW)
                .setUpdatedAt(Instant.EPOCH).build()), 0);
    }

    /** A tombstone on the merchants topic. */
    void deleteMerchant(String id) throws Exception {
        harness.processBroadcastElement(ReferenceUpdate.merchantDeleted(id), 0);
    }

    void rate(String currency, String rateToUsd, long validFrom) throws Exception {
        harness.processBroadcastElement(ReferenceUpdate.of(FxRate.newBuilder().setCurrency(currency)
                .setRateToUsd(new BigDecimal(rateToUsd).setScale(10)).setValidFrom(Instant.ofEpochMilli(validFrom))
                .setSource("test").build()), validFrom);
    }

    void watermark(long millis) throws Exception {
        harness.watermark(millis);
    }

    List<EnrichedTransaction> enriched() {
        return harness.extractOutputValues();
    }

    List<DeadLetter> deadLetters() {
        var records = harness.getSideOutput(DeadLetterRouter.DEAD_LETTERS);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    List<LateTransaction> late() {
        var records = harness.getSideOutput(TransactionEnricher.LATE);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    /** The keys that have a value in the keyed state {@code name}, as the state backend stores them. */
    List<String> keysWithState(String name) throws Exception {
        var backend = ((AbstractStreamOperator<?>) harness.getOperator()).<String>getKeyedStateBackend();
        try (var keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }

    int eventTimeTimers() {
        return harness.numEventTimeTimers();
    }

    OperatorSubtaskState snapshot() throws Exception {
        return harness.snapshot(1L, 1L);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }

    /** A masked payment of {@link #ACCOUNT} at {@code eventTime}, 10 EUR at merchant m-1. */
    static MaskedTransaction payment(String eventId, long eventTime) {
        return payment(eventId, eventTime, "EUR", "m-1");
    }

    static MaskedTransaction payment(String eventId, long eventTime, String currency, String merchant) {
        return MaskedTransaction.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(eventId.getBytes()))
                .setTransactionId("tx-" + eventId)
                .setAccountId(ACCOUNT)
                .setCardToken("token")
                .setCardLast4("4242")
                .setMerchantId(merchant)
                .setAmount(new BigDecimal("10.0000"))
                .setCurrency(currency)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setStatus(TransactionStatus.AUTHORIZED)
                .setChannel(PaymentChannel.POS)
                .setCountry("DE")
                .setDeviceId(null)
                .setIpPrefix(null)
                .setEmailToken(null)
                .setLocation(null)
                .build();
    }
}
