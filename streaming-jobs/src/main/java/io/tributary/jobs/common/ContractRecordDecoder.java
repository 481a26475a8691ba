package io.tributary.jobs.common;

import io.tributary.contracts.RejectionReason;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.EventDecodingException;
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
 * Reads a changelog topic (account profiles, merchants, FX rates): decodes each value with its
 * contract and maps it at once to what the job keeps, so that nothing else of the record (personal
 * data included) leaves the source. A null value is a tombstone for the key; bytes that do not
 * decode become a dead letter.
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

    private final ConfluentAvroDeserializationSchema<T> values;
    private final Projection<T, R> projection;
    private final TypeInformation<Decoded<R>> producedType;
    private final String job;
    private transient SourceCounters counters;

    public ContractRecordDecoder(Class<T> valueClass, SchemaRegistryConfig registry, Projection<T, R> projection,
            TypeInformation<Decoded<R>> producedType, String job) {
        this.values = ConfluentAvroDeserializationSchema.forSpecific(valueClass).registry(registry).build();
        this.projection = Objects.requireNonNull(projection, "projection");
        this.producedType = producedType;
        this.job = job;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        values.open(context);
        counters = new SourceCounters(context.getMetricGroup());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<R>> out) throws IOException {
        counters.read();
        if (record.value() == null) {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (key == null) {
                out.collect(deadLetter(record, RejectionReason.CONTRACT_TOMBSTONE_WITHOUT_KEY.name(), "a null value needs a key", null));
            } else {
                out.collect(Decoded.tombstone(key));
            }
            return;
        }
        try {
            out.collect(Decoded.value(projection.apply(values.deserialize(record.value()))));
        } catch (EventDecodingException e) {
            out.collect(deadLetter(record, e.failure().reasonCode(), e.getMessage(), e.schemaId()));
        }
    }

    private Decoded<R> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String detail, Integer id) {
        counters.deadLetter(reason);
        return Decoded.deadLetter(DeadLetters.of(record, reason, detail, id, job));
    }

    @Override
    public TypeInformation<Decoded<R>> getProducedType() {
        return producedType;
    }
}
