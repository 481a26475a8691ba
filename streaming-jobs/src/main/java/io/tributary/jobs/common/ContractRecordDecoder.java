package io.tributary.jobs.common;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.jobs.common.internal.RegistryDoubtRetry;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a topic with its contract: decodes each value and maps it at once to what the job keeps, so
 * that nothing else of the record (personal data included) leaves the source. Bytes that do not
 * decode, and values that fail the optional check, become dead letters. On a changelog topic
 * (account profiles, merchants, FX rates, rules) a null value is a tombstone for the key; on an
 * event topic it is a dead letter.
 *
 * @param <T> the contract's record class
 * @param <R> what the job keeps of it
 */
public final class ContractRecordDecoder<T extends SpecificRecord, R> implements KafkaRecordDeserializationSchema<Decoded<R>> {
    private static final long serialVersionUID = 1L;

    /** What the job keeps of a decoded record; serializable, runs in the source. */
    @FunctionalInterface
    public interface Projection<T, R> extends java.io.Serializable {
        R apply(T value);
    }

    /** Why a decoded value cannot be used, or null if it can; serializable, runs in the source. */
    @FunctionalInterface
    public interface Check<T> extends java.io.Serializable {
        String problem(T value);
    }

    private final ConfluentAvroDeserializationSchema<T> values;
    private final Projection<T, R> projection;
    private final TypeInformation<Decoded<R>> producedType;
    private final String job;
    private final boolean changelog;
    private final Check<T> check;
    private final RejectionReason checkReason;
    private final boolean withOrigin;
    private final String subject;
    private transient SourceCounters counters;
    private transient RegistryDoubtRetry registry;

    private ContractRecordDecoder(Builder<T, R> b) {
        this.values = ConfluentAvroDeserializationSchema.forSpecific(b.valueClass).registry(b.registry).build();
        this.projection = b.projection;
        this.producedType = b.producedType;
        this.job = b.job;
        this.changelog = b.changelog;
        this.check = b.check;
        this.checkReason = b.checkReason;
        this.withOrigin = b.withOrigin;
        this.subject = TopicContract.forValueClass(b.valueClass).orElseThrow(() -> new IllegalArgumentException(
                b.valueClass.getName() + " is the value of no topic contract")).subject();
    }

    /** A decoder of an event topic, where a null value breaks the contract (a dead letter). */
    public static <T extends SpecificRecord> Builder<T, T> forEvents(Class<T> valueClass,
            TypeInformation<Decoded<T>> producedType) {
        return new Builder<>(valueClass, false, v -> v, producedType);
    }

    /** A decoder of a changelog topic, where a null value with a key is a tombstone for that key. */
    public static <T extends SpecificRecord> Builder<T, T> forChangelog(Class<T> valueClass,
            TypeInformation<Decoded<T>> producedType) {
        return new Builder<>(valueClass, true, v -> v, producedType);
    }

    /** The options of a {@link ContractRecordDecoder}; the registry and the job are required. */
    public static final class Builder<T extends SpecificRecord, R> {
        private final Class<T> valueClass;
        private final boolean changelog;
        private final Projection<T, R> projection;
        private final TypeInformation<Decoded<R>> producedType;
        private SchemaRegistryConfig registry;
        private String job;
        private Check<T> check;
        private RejectionReason checkReason;
        private boolean withOrigin;

        private Builder(Class<T> valueClass, boolean changelog, Projection<T, R> projection,
                TypeInformation<Decoded<R>> producedType) {
            this.valueClass = Objects.requireNonNull(valueClass, "valueClass");
            this.changelog = changelog;
            this.projection = Objects.requireNonNull(projection, "projection");
            this.producedType = Objects.requireNonNull(producedType, "producedType");
        }

        /** Where the writers' schemas are looked up. */
        public Builder<T, R> registry(SchemaRegistryConfig registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The job reading, named in its dead letters. */
        public Builder<T, R> job(String job) {
            this.job = Objects.requireNonNull(job, "job");
            return this;
        }

        /**
         * Keeps only what {@code projection} makes of each value (default: the whole value), so the rest
         * (personal data included) never leaves the source.
         */
        public <P> Builder<T, P> projectedTo(Projection<T, P> projection, TypeInformation<Decoded<P>> producedType) {
            Builder<T, P> projected = new Builder<>(valueClass, changelog, projection, producedType);
            projected.registry = registry;
            projected.job = job;
            projected.check = check;
            projected.checkReason = checkReason;
            projected.withOrigin = withOrigin;
            return projected;
        }

        /**
         * Gives every value and tombstone its {@link Origin} (topic, partition, offset; its
         * {@code receivedAt} unknown, -1): for an operator that must know how far the topic has been
         * read, as fraud-detection's rules at start do.
         */
        public Builder<T, R> withOrigin() {
            this.withOrigin = true;
            return this;
        }

        /** Sends a decoded value {@code check} finds a problem with to the DLQ, with {@code reason}. */
        public Builder<T, R> check(Check<T> check, RejectionReason reason) {
            this.check = Objects.requireNonNull(check, "check");
            this.checkReason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        public ContractRecordDecoder<T, R> build() {
            Objects.requireNonNull(registry, "registry is required");
            Objects.requireNonNull(job, "job is required");
            return new ContractRecordDecoder<>(this);
        }
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        values.open(context);
        counters = new SourceCounters(context.getMetricGroup());
        registry = new RegistryDoubtRetry(values.registry(), subject, context.getMetricGroup());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<R>> out) throws IOException {
        counters.read();
        if (record.value() == null && !changelog) {
            out.collect(deadLetter(record, RejectionReason.CONTRACT_NULL_VALUE.name(), "a null value on an event topic",
                    null));
            return;
        }
        if (record.value() == null) {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (key == null) {
                out.collect(deadLetter(record, RejectionReason.CONTRACT_TOMBSTONE_WITHOUT_KEY.name(), "a null value needs a key", null));
            } else {
                out.collect(located(Decoded.tombstone(key), record));
            }
            return;
        }
        T value = DeadLetterFactory.decode(record, values, registry,
                (reason, detail, schemaId) -> out.collect(deadLetter(record, reason, detail, schemaId)));
        if (value == null) {
            return;
        }
        String problem = check == null ? null : check.problem(value);
        if (problem != null) {
            out.collect(deadLetter(record, checkReason.name(), problem, null));
        } else {
            out.collect(located(Decoded.value(projection.apply(value)), record));
        }
    }

    private Decoded<R> located(Decoded<R> decoded, ConsumerRecord<byte[], byte[]> record) {
        if (withOrigin) {
            decoded.origin = Origin.of(record, -1);
        }
        return decoded;
    }

    private Decoded<R> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String detail, Integer id) {
        counters.deadLetter(reason);
        return Decoded.deadLetter(DeadLetterFactory.of(record, reason, detail, id, job));
    }

    @Override
    public TypeInformation<Decoded<R>> getProducedType() {
        return producedType;
    }
}
