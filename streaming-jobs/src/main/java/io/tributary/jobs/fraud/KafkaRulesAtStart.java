package io.tributary.jobs.fraud;

import io.tributary.events.FraudRule;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link RulesAtStart} from the rules topic: a consumer of its own (no group, nothing committed,
 * read_committed) reads every partition from its beginning to the end offsets it finds, and decodes
 * each record as the rules source does.
 */
final class KafkaRulesAtStart implements RulesAtStart {
    private static final long serialVersionUID = 1L;

    private final KafkaSettings kafka;
    private final String topic;
    private final KafkaRecordDeserializationSchema<Decoded<FraudRule>> decoder;
    private final Duration timeout;

    KafkaRulesAtStart(KafkaSettings kafka, String topic, KafkaRecordDeserializationSchema<Decoded<FraudRule>> decoder,
            Duration timeout) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Read read(DeserializationSchema.InitializationContext context, int subtask) throws Exception {
        decoder.open(context);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                kafka.assigningConsumerProperties("rules-at-start-" + subtask), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return read(consumer, deadline);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new TimeoutException("Reading the rules topic " + topic + " to its end took longer than " + timeout
                    + " (" + e.getMessage() + "): check the brokers and the job's access to the topic");
        }
    }

    private Read read(KafkaConsumer<byte[], byte[]> consumer, long deadline) throws Exception {
        List<PartitionInfo> found = consumer.partitionsFor(topic, remaining(deadline));
        if (found == null || found.isEmpty()) {
            throw new IllegalStateException("The rules topic " + topic + " has no partitions this job can see:"
                    + " create it, or let the job's Kafka user describe it");
        }
        List<TopicPartition> partitions = found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // Read_committed: the last stable offsets, past which nothing committed is yet.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, remaining(deadline));
        List<Decoded<FraudRule>> changes = new ArrayList<>();
        Map<Integer, Long> lastOffsets = new TreeMap<>();
        List<Decoded<FraudRule>> decoded = new ArrayList<>();
        ListCollector<Decoded<FraudRule>> out = new ListCollector<>(decoded);
        while (!reachedEnd(consumer, partitions, end, deadline)) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException("not at the end offsets " + end);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= end.get(new TopicPartition(topic, record.partition()))) {
                    continue; // written since: the broadcast input brings it
                }
                decoded.clear();
                decoder.deserialize(record, out);
                for (Decoded<FraudRule> change : decoded) {
                    if (!change.isDeadLetter()) {
                        changes.add(change);
                        lastOffsets.put(record.partition(), record.offset());
                    }
                }
            }
        }
        return new Read(changes, lastOffsets);
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end, long deadline) {
        return partitions.stream().allMatch(p -> consumer.position(p, remaining(deadline)) >= end.get(p));
    }

    /** What is left of the timeout, at least a millisecond: a call given it fails once the deadline has passed. */
    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
