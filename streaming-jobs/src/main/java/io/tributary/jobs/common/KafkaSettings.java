package io.tributary.jobs.common;

import static io.tributary.jobs.common.SettingChecks.required;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.IsolationLevel;

/**
 * How a job reaches Kafka and the schema registry, read once from the configuration: the settings
 * every job shares, and the sources and sinks built from them as every Tributary job uses them
 * (read_committed sources unless asked otherwise; sinks exactly-once by default, with a checked
 * transaction timeout).
 *
 * @param bootstrapServers the brokers
 * @param clientProperties what the clients are given besides (security, timeouts)
 * @param groupId the consumer group, also the prefix of the clients' ids
 * @param startingOffsets where a fresh start reads the event topics from
 * @param stopAtLatest whether the sources end at the offsets that are latest when the job starts
 * @param registry how the serdes reach the schema registry
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties, String groupId,
        KafkaOptions.StartingOffsets startingOffsets, boolean stopAtLatest, SchemaRegistryConfig registry)
        implements Serializable {

    /**
     * Reads and checks the settings.
     *
     * @param defaultGroupId the group when none is configured: the job's name
     * @param environment where the registry password is looked up
     */
    public static KafkaSettings from(Configuration c, Map<String, String> environment, String defaultGroupId) {
        return new KafkaSettings(
                required(c, KafkaOptions.BOOTSTRAP_SERVERS),
                Map.copyOf(c.get(KafkaOptions.CLIENT_PROPERTIES)),
                Objects.requireNonNullElse(c.get(KafkaOptions.GROUP_ID), defaultGroupId),
                c.get(KafkaOptions.STARTING_OFFSETS),
                c.get(KafkaOptions.STOP_AT_LATEST),
                SettingChecks.registry(c, environment));
    }

    /** A source of an event topic, read from the configured starting offsets, read_committed. */
    public <T> KafkaSource<T> source(String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        return source(topic, deserializer, IsolationLevel.READ_COMMITTED);
    }

    /**
     * As {@link #source(String, KafkaRecordDeserializationSchema)}, read with {@code isolation}.
     * {@code READ_UNCOMMITTED} acts on records their writer may still abort: only where acting at once
     * matters more (fraud-detection's low-latency alerts).
     */
    public <T> KafkaSource<T> source(String topic, KafkaRecordDeserializationSchema<T> deserializer,
            IsolationLevel isolation) {
        return source(topic, switch (startingOffsets) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }, deserializer, isolation);
    }

    /** A source of a changelog topic, which a fresh start must read whole: from the earliest offsets. */
    public <T> KafkaSource<T> changelogSource(String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        return source(topic, OffsetsInitializer.earliest(), deserializer, IsolationLevel.READ_COMMITTED);
    }

    private <T> KafkaSource<T> source(String topic, OffsetsInitializer start, KafkaRecordDeserializationSchema<T> deserializer,
            IsolationLevel isolation) {
        var builder = KafkaSource.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(start)
                .setDeserializer(deserializer)
                .setProperties(properties())
                // Upstream producers write in transactions: read_committed never acts on aborted records.
                .setProperty("isolation.level", isolation.toString().toLowerCase(Locale.ROOT))
                .setProperty("client.id.prefix", groupId + "-" + topic);
        if (stopAtLatest) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * A sink writing each record's key and Confluent-framed value to {@code topic}, as
     * {@code delivery} says: exactly-once transactions named {@code <prefix>-<sinkName>}, committed on
     * checkpoints, unless the job is configured otherwise.
     */
    public <T> KafkaSink<T> sink(KafkaDelivery delivery, String topic, String sinkName, SerializationSchema<T> keys,
            SerializationSchema<T> values) {
        return sink(delivery, topic, sinkName, keys, values, Map.of());
    }

    private <T> KafkaSink<T> sink(KafkaDelivery delivery, String topic, String sinkName, SerializationSchema<T> keys,
            SerializationSchema<T> values, Map<String, String> producerProperties) {
        Properties properties = properties();
        properties.putAll(producerProperties);
        properties.setProperty("transaction.timeout.ms", String.valueOf(delivery.transactionTimeout().toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(properties)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(keys)
                        .setValueSerializationSchema(values)
                        .build())
                .setDeliveryGuarantee(delivery.guarantee())
                .setTransactionalIdPrefix(delivery.transactionalIdPrefix() + "-" + sinkName)
                .build();
    }

    /**
     * The sink of a job's dead letters to {@code topic}, keyed by the original record's key. Its
     * requests may be as large as the DLQ topic accepts, so that a dead letter of the largest record
     * an input topic takes is written, not refused (which would fail the job on every restart).
     */
    public KafkaSink<DeadLetter> deadLetterSink(KafkaDelivery delivery, String topic) {
        return sink(delivery, topic, "dlq", DeadLetterFactory::originalKey,
                ConfluentAvroSerializationSchema.forSpecific(DeadLetter.class).topic(TopicContract.DEAD_LETTERS)
                        .registry(registry).build(),
                Map.of("max.request.size", String.valueOf(TopicContract.DEAD_LETTERS.maxMessageBytes())));
    }

    /**
     * A plain consumer's properties, for a reader that assigns itself partitions rather than joining
     * the group: the brokers, the shared client properties (security included), read_committed, no
     * offsets committed, no topic created by asking for it; its client id {@code <group>-<clientIdSuffix>}.
     */
    public Properties assigningConsumerProperties(String clientIdSuffix) {
        Properties properties = properties();
        properties.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + clientIdSuffix);
        return properties;
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        return properties;
    }
}
