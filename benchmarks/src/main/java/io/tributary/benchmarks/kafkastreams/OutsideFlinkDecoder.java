package io.tributary.benchmarks.kafkastreams;

import io.tributary.jobs.common.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs one of the enrichment job's own record decoders (decode, contract check, tokenization, dead
 * letters) inside Kafka Streams, so that the peer reads its inputs with the very code the Flink job
 * runs in its sources: only the framework around it differs. The decoders' Flink metrics go nowhere.
 *
 * @param <T> what the decoder makes of a record
 */
final class OutsideFlinkDecoder<T> {
    private final KafkaRecordDeserializationSchema<Decoded<T>> decoder;
    private final List<Decoded<T>> decoded = new ArrayList<>(1);
    private final Collector<Decoded<T>> collector = new Collector<>() {
        @Override
        public void collect(Decoded<T> record) {
            decoded.add(record);
        }

        @Override
        public void close() {}
    };

    private OutsideFlinkDecoder(KafkaRecordDeserializationSchema<Decoded<T>> decoder) {
        this.decoder = decoder;
    }

    /** Opens {@code decoder} as a Flink source would, with metrics that are not reported. */
    static <T> OutsideFlinkDecoder<T> open(KafkaRecordDeserializationSchema<Decoded<T>> decoder) throws Exception {
        decoder.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(OutsideFlinkDecoder.class.getClassLoader());
            }
        });
        return new OutsideFlinkDecoder<>(decoder);
    }

    /**
     * Decodes the record being processed. Kafka Streams does not say whether its timestamp is the
     * broker's append time, so it is passed as a create time: the decoder then trusts it only up to
     * its own clock, which changes nothing for a record appended in the past. The list returned is
     * reused by the next call.
     */
    List<Decoded<T>> decode(Record<byte[], byte[]> record, Optional<RecordMetadata> metadata) throws Exception {
        RecordMetadata where = metadata.orElseThrow();
        Headers headers = record.headers();
        byte[] key = record.key();
        byte[] value = record.value();
        ConsumerRecord<byte[], byte[]> consumerRecord = new ConsumerRecord<>(where.topic(), where.partition(),
                where.offset(), record.timestamp(), TimestampType.CREATE_TIME, key == null ? -1 : key.length,
                value == null ? -1 : value.length, key, value, headers, Optional.empty());
        decoded.clear();
        decoder.deserialize(consumerRecord, collector);
        return decoded;
    }
}
