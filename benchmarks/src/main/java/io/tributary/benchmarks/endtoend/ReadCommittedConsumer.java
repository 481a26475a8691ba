package io.tributary.benchmarks.endtoend;

import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The consumer the benchmarks read topics with: as a downstream service reads them, from the start. */
public final class ReadCommittedConsumer {
    private ReadCommittedConsumer() {}

    /**
     * A consumer of raw bytes in a new group named {@code groupPrefix} and a unique suffix, reading
     * from the earliest offsets with read_committed, committing no offsets of its own.
     */
    public static KafkaConsumer<byte[], byte[]> fromEarliest(String bootstrapServers, String groupPrefix) {
        return fromEarliest(bootstrapServers, groupPrefix, IsolationLevel.READ_COMMITTED);
    }

    /**
     * As {@link #fromEarliest(String, String)}, read with {@code isolation}: {@code READ_UNCOMMITTED}
     * sees records as their writer writes them, as fraud-detection's low-latency alerts read its input.
     */
    public static KafkaConsumer<byte[], byte[]> fromEarliest(String bootstrapServers, String groupPrefix,
            IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
