package io.tributary.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A source's record decoder run outside Flink, as the Kafka source runs it, one record at a time. */
public final class DecoderRuns {
    private DecoderRuns() {}

    /** Opens {@code decoder} with metrics that go nowhere. */
    public static void open(KafkaRecordDeserializationSchema<?> decoder) throws Exception {
        decoder.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return null;
            }
        });
    }

    /** What {@code decoder} makes of {@code record}: exactly one value, tombstone or dead letter. */
    public static <T> Decoded<T> decode(KafkaRecordDeserializationSchema<Decoded<T>> decoder,
            ConsumerRecord<byte[], byte[]> record) throws Exception {
        List<Decoded<T>> out = new ArrayList<>();
        decoder.deserialize(record, new Collector<>() {
            @Override
            public void collect(Decoded<T> decoded) {
                out.add(decoded);
            }

            @Override
            public void close() {}
        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
