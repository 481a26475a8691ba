package io.tributary.jobs.common;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as a downstream consumer would: read_committed, from the beginning to its
 * current end. For the command line's DLQ and ledger reads and for fraud-detection's rules at start.
 */
public final class CommittedTopic {
    private CommittedTopic() {}

    /**
     * Hands every committed record of {@code topic} to {@code each}, partition by partition in offset order;
     * nothing when the topic does not exist. Every call to the brokers is bounded by what is left of
     * {@code timeout}.
     *
     * @param clientProperties Kafka client properties, the bootstrap servers included
     * @return whether the topic exists
     */
    public static boolean readToEnd(Properties clientProperties, String topic, Duration timeout,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.listTopics(remaining(deadline)).getOrDefault(topic, List.of())
                    .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return false;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed the end offset is the last stable offset: nothing open is waited for.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, remaining(deadline));
            while (partitions.stream().anyMatch(p -> consumer.position(p, remaining(deadline)) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within "
                            + timeout.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
        return true;
    }

    /** What is left of a timeout, at least a millisecond: a call given it fails once the deadline has passed. */
    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
