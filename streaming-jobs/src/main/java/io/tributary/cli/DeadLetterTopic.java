package io.tributary.cli;

import io.tributary.events.DeadLetter;
import io.tributary.jobs.common.CommittedTopic;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.EventDecodingException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a dead-letter topic as the replay needs it: read_committed (a dead letter of an aborted job
 * transaction was never a rejection), from the beginning to the end it had when reading started. The
 * topic is small and short-lived (3 days), so every command reads it whole rather than seeking by
 * time: a record's Kafka timestamp is its source's, not the time it was rejected.
 */
final class DeadLetterTopic {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** One dead letter with where it sits in the dead-letter topic. */
    record Stored(int partition, long offset, DeadLetter deadLetter) {
        String coordinates(String topic) {
            return topic + "/" + partition + "/" + offset;
        }
    }

    private final Properties clientProperties;
    private final String topic;
    private final ConfluentAvroDeserializationSchema<DeadLetter> values;

    DeadLetterTopic(Properties clientProperties, String topic, SchemaRegistryConfig registry) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.values = ConfluentAvroDeserializationSchema.forSpecific(DeadLetter.class).registry(registry).build();
    }

    String name() {
        return topic;
    }

    /** Fails with one line when the topic is not on the cluster, rather than waiting for metadata. */
    static void requireExists(Properties clientProperties, String topic) throws Exception {
        try (Admin admin = Admin.create(clientProperties)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("No topic '" + topic + "' on the cluster");
            }
            throw e;
        }
    }

    /** Hands every committed dead letter, partition by partition in offset order, to {@code each}. */
    void forEach(Consumer<Stored> each) throws Exception {
        requireExists(clientProperties, topic);
        CommittedTopic.readToEnd(clientProperties, topic, READ_TIMEOUT, record -> each.accept(decode(record)));
    }

    /** The dead letter at {@code partition} and {@code offset}, read_committed. */
    Stored at(int partition, long offset) throws Exception {
        requireExists(clientProperties, topic);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            if (consumer.partitionsFor(topic).stream().noneMatch(p -> p.partition() == partition)) {
                throw new IllegalArgumentException("Topic '" + topic + "' has no partition " + partition);
            }
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long start = consumer.beginningOffsets(List.of(tp)).get(tp);
            if (offset < start || offset >= end) {
                throw new IllegalArgumentException("No dead letter at " + topic + " partition " + partition + " offset "
                        + offset + ": the partition holds offsets " + start + " to " + (end - 1));
            }
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return decode(record);
                    }
                    if (record.offset() > offset) {
                        break;
                    }
                }
            }
            // A transaction marker or an aborted record sits at that offset.
            throw new IllegalArgumentException("No committed dead letter at " + topic + " partition " + partition
                    + " offset " + offset);
        }
    }

    private Stored decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return new Stored(record.partition(), record.offset(), values.deserialize(record.value()));
        } catch (EventDecodingException e) {
            throw new IllegalStateException("The record at " + topic + " partition " + record.partition() + " offset "
                    + record.offset() + " is not a dead letter (" + e.failure().reasonCode() + ")");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
