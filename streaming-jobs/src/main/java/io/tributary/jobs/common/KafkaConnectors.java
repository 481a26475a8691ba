package io.tributary.jobs.common;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Kafka sources and sinks as every Tributary job uses them: read_committed sources, and sinks that
 * are exactly-once transactional by default, with a transaction timeout the caller has checked.
 */
public final class KafkaConnectors {
    private KafkaConnectors() {}

    /**
     * A source of one topic.
     *
     * @param fromEarliest true for changelog topics, which must be read whole on a fresh start
     */
    public static <T> KafkaSource<T> source(String bootstrapServers, Map<String, String> clientProperties,
            String groupId, String topic, KafkaOptions.StartingOffsets startingOffsets, boolean fromEarliest,
            boolean stopAtLatest, KafkaRecordDeserializationSchema<T> deserializer) {
        OffsetsInitializer start = fromEarliest ? OffsetsInitializer.earliest() : switch (startingOffsets) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        var builder = KafkaSource.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(start)
                .setDeserializer(deserializer)
                .setProperties(properties(clientProperties))
                // Upstream producers may write in transactions too: never act on aborted records.
                .setProperty("isolation.level", "read_committed")
                .setProperty("client.id.prefix", groupId + "-" + topic);
        if (stopAtLatest) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * A sink writing each record's key and Confluent-framed value to {@code topic}: exactly-once
     * (transactions with {@code transactionalIdPrefix}, committed on checkpoints) unless told otherwise.
     */
    public static <T> KafkaSink<T> sink(String bootstrapServers, Map<String, String> clientProperties,
            String topic, SerializationSchema<T> keys, SerializationSchema<T> values, DeliveryGuarantee guarantee,
            String transactionalIdPrefix, Duration transactionTimeout) {
        Properties properties = properties(clientProperties);
        properties.setProperty("transaction.timeout.ms", String.valueOf(transactionTimeout.toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(properties)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(keys)
                        .setValueSerializationSchema(values)
                        .build())
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }

    private static Properties properties(Map<String, String> clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        return properties;
    }
}
