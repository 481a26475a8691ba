package io.tributary.dashboard.internal;

import io.tributary.events.FraudAlert;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the alerts topic as fraud-detection's consumers must, with {@code read_committed} (a
 * read_uncommitted reader would also see the alerts of aborted transactions), onto an
 * {@link AlertBoard}. It joins no consumer group: each dashboard reads every partition on its own,
 * from the alerts of the last window on, and commits nothing, so it never shows up as a lagging
 * group on its own page. A failure (broker away, topic not there yet) is kept as the feed's problem
 * and the reader starts over a moment later.
 */
public final class AlertFeed implements AutoCloseable {
    private static final Duration RETRY = Duration.ofSeconds(3);

    private final Properties client;
    private final String topic;
    private final AlertBoard board;
    private final Duration window;
    private final ConfluentAvroDeserializationSchema<FraudAlert> decoder;
    private final Thread reader;
    private final AtomicLong undecodable = new AtomicLong();
    private volatile boolean running = true;
    private volatile String problem;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public AlertFeed(Properties client, String topic, SchemaRegistryConfig registry, AlertBoard board, Duration window) {
        this.client = new Properties();
        this.client.putAll(client);
        this.client.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.client.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.client.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.topic = topic;
        this.board = board;
        this.window = window;
        this.decoder = ConfluentAvroDeserializationSchema.forSpecific(FraudAlert.class).registry(registry).build();
        this.reader = new Thread(this::readUntilClosed, "tributary-dashboard-alerts");
        this.reader.setDaemon(true);
    }

    public void start() {
        reader.start();
    }

    /** Why the feed is not reading right now, or null while it is. */
    public String problem() {
        String p = problem;
        long bad = undecodable.get();
        return p != null ? p : bad > 0 ? bad + " alert records could not be decoded" : null;
    }

    private void readUntilClosed() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(client, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                if (!running) {
                    return;
                }
                read(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                problem = "alerts from " + topic + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage());
                sleep(RETRY);
            }
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("the topic does not exist (yet)");
        }
        c.assign(partitions);
        long from = Instant.now().minus(window).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(times, Duration.ofSeconds(10));
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp start = starts.get(p);
            if (start != null) {
                c.seek(p, start.offset());
            } else {
                c.seekToEnd(List.of(p));
            }
        }
        problem = null;
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(500))) {
                try {
                    FraudAlert alert = decoder.deserialize(record.value());
                    if (alert != null) {
                        board.add(AlertView.of(alert));
                    }
                } catch (Exception e) {
                    undecodable.incrementAndGet();
                }
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            // Not an interrupt: the consumer would log an error closing its fetcher; a wakeup ends its poll.
            c.wakeup();
        }
        reader.join(10_000);
    }
}
