package io.tributary.jobs.common;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.jobs.common.internal.RegistryDoubtRetry;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Transaction;
import io.tributary.jobs.pii.ContractViolation;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKeySource;
import io.tributary.jobs.pii.TransactionValidator;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.ConfluentWireFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * The first step of the enrichment job, inside the Kafka source: decodes a payment event, checks
 * its contract, and tokenizes its personal data, so that no clear value leaves the source. A record
 * that does not decode or breaks the contract becomes a dead letter with its original bytes.
 */
public final class TransactionRecordDecoder implements KafkaRecordDeserializationSchema<Decoded<MaskedTransaction>> {
    private static final long serialVersionUID = 1L;

    /** The type between operators: a POJO of Avro records, no Kryo. */
    public static final TypeInformation<Decoded<MaskedTransaction>> TYPE =
            TypeInformation.of(new TypeHint<Decoded<MaskedTransaction>>() {});

    private final ConfluentAvroDeserializationSchema<Transaction> values;
    private final TransactionValidator validator;
    private final TokenizationKeySource key;
    private final String job;
    private transient PiiMasker masker;
    private transient SourceCounters counters;
    private transient RegistryDoubtRetry registry;

    public TransactionRecordDecoder(SchemaRegistryConfig registry, TokenizationKeySource key, Duration maxFutureSkew,
            String job) {
        this.values = ConfluentAvroDeserializationSchema.forSpecific(Transaction.class).registry(registry).build();
        this.validator = new TransactionValidator(maxFutureSkew);
        this.key = key;
        this.job = job;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        values.open(context);
        masker = PiiMasker.create(key.load());
        counters = new SourceCounters(context.getMetricGroup());
        registry = new RegistryDoubtRetry(values.registry(), TopicContract.TRANSACTIONS.subject(),
                context.getMetricGroup());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<MaskedTransaction>> out)
            throws IOException {
        counters.read();
        if (record.value() == null) {
            out.collect(deadLetter(record, RejectionReason.CONTRACT_NULL_VALUE.name(), "a payment event cannot be a tombstone", null));
            return;
        }
        Transaction transaction = DeadLetterFactory.decode(record, values, registry,
                (reason, detail, schemaId) -> out.collect(deadLetter(record, reason, detail, schemaId)));
        if (transaction == null) {
            return;
        }
        long receivedAt = receivedAt(record);
        Optional<ContractViolation> violation = validator.validate(transaction, receivedAt);
        if (violation.isPresent()) {
            out.collect(deadLetter(record, violation.get().reason(), violation.get().detail(),
                    ConfluentWireFormat.schemaId(record.value())));
            return;
        }
        Decoded<MaskedTransaction> payment = Decoded.value(masker.mask(transaction), Origin.of(record, receivedAt));
        payment.writerSchemaId = ConfluentWireFormat.schemaId(record.value());
        out.collect(payment);
    }

    /**
     * When the record is known to have reached Kafka: the broker's append time, which the payments
     * topic records (message.timestamp.type LogAppendTime), so that every job and every replay judge
     * a record alike. A create-time timestamp is the producer's to set, and one stamped with a
     * future event time would pass the future check: it counts only up to this operator's clock.
     */
    static long receivedAt(ConsumerRecord<?, ?> record) {
        long now = System.currentTimeMillis();
        if (record.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return record.timestamp();
        }
        return record.timestamp() < 0 ? now : Math.min(record.timestamp(), now);
    }

    private Decoded<MaskedTransaction> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String detail,
            Integer schemaId) {
        counters.deadLetter(reason);
        return Decoded.deadLetter(DeadLetterFactory.of(record, reason, detail, schemaId, job));
    }

    @Override
    public TypeInformation<Decoded<MaskedTransaction>> getProducedType() {
        return TYPE;
    }
}
