package io.tributary.benchmarks.kafkastreams;

import io.tributary.contracts.TopicContract;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The Avro serdes of the Kafka Streams peer. */
final class AvroSerdes {
    private AvroSerdes() {}

    /**
     * A topic's contract: Confluent-framed Avro under the topic's subject, with the same serializer
     * the Flink job's sinks use, so that both write the same bytes. That serializer reuses its
     * buffers and Kafka Streams shares a sink's serde between its threads: one copy per thread.
     */
    static <T extends SpecificRecord> Serde<T> confluent(Class<T> type, TopicContract contract,
            SchemaRegistryConfig registry) {
        ThreadLocal<ConfluentAvroSerializationSchema<T>> serializers = ThreadLocal.withInitial(() ->
                ConfluentAvroSerializationSchema.forSpecific(type).topic(contract).registry(registry).build());
        ThreadLocal<ConfluentAvroDeserializationSchema<T>> deserializers = ThreadLocal.withInitial(() ->
                ConfluentAvroDeserializationSchema.forSpecific(type).registry(registry).build());
        return Serdes.serdeFrom((topic, value) -> value == null ? null : serializers.get().serialize(value),
                (topic, bytes) -> {
                    try {
                        return deserializers.get().deserialize(bytes);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * Plain Avro binary, no registry: for the peer's own state stores, which only it reads. Kafka
     * Streams stores hold bytes even in memory, where Flink's broadcast state holds objects.
     */
    static <T extends SpecificRecord> Serde<T> binary(Class<T> type) {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(type);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            try {
                writer.write(value, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            try {
                return reader.read(null, decoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
