package io.tributary.testing;

import io.tributary.jobs.common.CommittedTopic;
import io.tributary.events.DeadLetter;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a whole topic as a downstream consumer would: read_committed, to its current end. */
public final class TopicReader {
    private TopicReader() {}

    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return readCommitted(props, topic);
    }

    /** As {@link #readCommitted(String, String)}, with client settings of a secured broker's user. */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(Properties clientProperties, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        CommittedTopic.readToEnd(clientProperties, topic, Duration.ofSeconds(60), records::add);
        return records;
    }

    /**
     * The dead letters on {@code topic} once there are at least {@code count}, read_committed, polled
     * every 500 ms; an {@link AssertionError} with what is there after {@code timeout}.
     */
    public static List<DeadLetter> awaitDeadLetters(String bootstrapServers, String topic, SchemaRegistryConfig registry,
            int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<DeadLetter> deadLetters = decode(readCommitted(bootstrapServers, topic), DeadLetter.class, registry);
            if (deadLetters.size() >= count) {
                return deadLetters;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " dead letters not committed on " + topic + " within " + timeout
                        + "; found " + deadLetters);
            }
            Thread.sleep(500);
        }
    }

    /** The Confluent-framed Avro values of {@code records}, decoded with the registry's schemas. */
    public static <T extends SpecificRecord> List<T> decode(List<ConsumerRecord<byte[], byte[]>> records, Class<T> type,
            SchemaRegistryConfig registry) throws IOException {
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(type).registry(registry).build();
        List<T> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(deserializer.deserialize(record.value()));
        }
        return values;
    }
}
