package io.tributary.benchmarks.kafkastreams;

import io.tributary.contracts.RejectionReason;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.LateTransaction;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.common.DeadLetterFactory;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.Origin;
import io.tributary.jobs.common.TransactionRecordDecoder;
import io.tributary.jobs.enrichment.AccountHistory;
import io.tributary.jobs.enrichment.AccountSnapshot;
import io.tributary.jobs.enrichment.ContentFingerprint;
import io.tributary.jobs.enrichment.EnrichedRecordFactory;
import io.tributary.jobs.enrichment.EnrichmentParameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The enrichment on Kafka Streams, one instance per task (a partition of the payments, which are
 * keyed by account): the Kafka Streams peer of the Flink job's source decoder and
 * {@code TransactionEnricher}, calling the same functions.
 *
 * <ul>
 *   <li>Decodes, checks and tokenizes each payment with the Flink job's {@link TransactionRecordDecoder};
 *       what does not decode or breaks the contract goes to the DLQ with its original bytes.
 *   <li>Deduplicates on event id in a RocksDB window store that keeps each id's content fingerprint
 *       for the dedup TTL: a retry is dropped, an id reused with other content is a DUPLICATE_CONFLICT
 *       dead letter. The window is the record's time (the broker's append time), where Flink's TTL
 *       counts processing time from the write: the same span for a job that keeps up.
 *   <li>Sends a payment later than the allowed lateness behind this task's newest payment time
 *       (less the out-of-orderness bound) to the late topic. Flink judges against a watermark over
 *       all partitions; here each task judges alone (see the benchmarks README).
 *   <li>Enriches at once with the account profile in effect at the event time ({@link AccountHistory},
 *       as in Flink), the merchant and the FX rate valid at the event time, all three from global
 *       stores ({@link ReferenceUpdates}). Flink holds a payment whose account or rate is not known
 *       yet until its watermark passes; this peer does not wait, which changes nothing when the
 *       reference data came first, as global stores are loaded before any payment is processed.
 * </ul>
 */
final class PaymentEnricher implements Processor<byte[], byte[], byte[], SpecificRecord> {
    static final String DEDUP_STORE = "event-fingerprints";
    static final String LATENESS_STORE = "newest-payment-time";
    /** Named in this peer's dead letters and late events. */
    static final String JOB = "transactions-enrichment-kafka-streams";
    private static final String NEWEST = "newest";

    private final TransactionRecordDecoder paymentDecoder;
    private final EnrichmentParameters parameters;

    private ProcessorContext<byte[], SpecificRecord> context;
    private OutsideFlinkDecoder<MaskedTransaction> payments;
    private WindowStore<String, Long> fingerprints;
    private KeyValueStore<String, AccountHistory> histories;
    private KeyValueStore<String, Long> lateness;
    private KeyValueStore<String, Merchant> merchants;
    private KeyValueStore<String, FxRate> fxRates;
    private long newestPaymentTime = Long.MIN_VALUE;

    PaymentEnricher(TransactionRecordDecoder paymentDecoder, EnrichmentParameters parameters) {
        this.paymentDecoder = paymentDecoder;
        this.parameters = parameters;
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        this.context = context;
        try {
            payments = OutsideFlinkDecoder.open(paymentDecoder);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open the payment decoder", e);
        }
        fingerprints = context.getStateStore(DEDUP_STORE);
        histories = context.getStateStore(ReferenceUpdates.Accounts.STORE);
        lateness = context.getStateStore(LATENESS_STORE);
        merchants = context.getStateStore(ReferenceUpdates.Merchants.STORE);
        fxRates = context.getStateStore(FxRateStore.NAME);
        Long restored = lateness.get(NEWEST);
        newestPaymentTime = restored == null ? Long.MIN_VALUE : restored;
        // Kept in memory, stored once a commit interval rather than on every payment, as Flink keeps its
        // lateness watermark in operator state at each checkpoint.
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (newestPaymentTime != Long.MIN_VALUE) {
                lateness.put(NEWEST, newestPaymentTime);
            }
        });
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            for (Decoded<MaskedTransaction> d : payments.decode(record, context.recordMetadata())) {
                if (d.isDeadLetter()) {
                    deadLetter(record, d.deadLetter);
                } else {
                    acceptPayment(record, d.value, d.origin);
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot process a payment", e);
        }
    }

    private void acceptPayment(Record<byte[], byte[]> record, MaskedTransaction t, Origin origin) {
        String eventId = t.getEventId().toString();
        long fingerprint = ContentFingerprint.of(t);
        long now = record.timestamp();
        Long first = null;
        long ttl = parameters.dedupTtl().toMillis();
        try (WindowStoreIterator<Long> seen = fingerprints.fetch(eventId, now - ttl, now)) {
            if (seen.hasNext()) {
                first = seen.next().value;
            }
        }
        if (first != null && first != fingerprint) {
            deadLetter(record, DeadLetterFactory.of(origin, RejectionReason.DUPLICATE_CONFLICT.name(),
                    "event_id was seen for this account within the deduplication time-to-live with other content;"
                            + " the first event was kept", JOB));
            return;
        }
        if (first != null) {
            return;
        }
        fingerprints.put(eventId, fingerprint, now);
        long eventTime = t.getEventTime().toEpochMilli();
        long watermark = newestPaymentTime == Long.MIN_VALUE ? Long.MIN_VALUE
                : newestPaymentTime - parameters.maxOutOfOrderness().toMillis();
        newestPaymentTime = Math.max(newestPaymentTime, Math.min(eventTime, origin.receivedAt));
        byte[] key = t.getAccountId().getBytes(StandardCharsets.UTF_8);
        if (watermark != Long.MIN_VALUE && eventTime + parameters.allowedLateness().toMillis() < watermark) {
            forward(record, key, LateTransaction.newBuilder().setTransaction(t)
                    .setWatermark(Instant.ofEpochMilli(watermark))
                    .setAllowedLatenessMs(parameters.allowedLateness().toMillis()).setJob(JOB).build());
            return;
        }
        AccountHistory history = histories.get(t.getAccountId());
        AccountSnapshot account = history == null ? null : history.asOf(eventTime);
        EnrichedTransaction enriched = EnrichedRecordFactory.of(t, account, merchants.get(t.getMerchantId()),
                FxRateStore.validAt(fxRates, t.getCurrency(), eventTime));
        forward(record, key, enriched);
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetter deadLetter) {
        forward(record, DeadLetterFactory.originalKey(deadLetter), deadLetter);
    }

    private void forward(Record<byte[], byte[]> record, byte[] key, SpecificRecord value) {
        context.forward(record.withKey(key).withValue(value));
    }
}
