package io.tributary.benchmarks.endtoend;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The machine's ceiling without Flink: one consumer copying a topic to another with one producer,
 * at least once, or exactly once with a transaction committed every second (what a checkpoint
 * interval of one second costs a plain Kafka application).
 */
final class KafkaCopy {
    private KafkaCopy() {}

    /** Copies {@code expected} records; returns records per second from the first poll to the last commit. */
    static double copy(String bootstrapServers, String from, String to, boolean transactional, long expected) {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (transactional) {
            producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "benchmark-copy-" + System.nanoTime());
        }
        try (var consumer = ReadCommittedConsumer.fromEarliest(bootstrapServers, "benchmark-copy-");
                var producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(from));
            if (transactional) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            long copied = 0;
            long started = 0;
            long lastCommit = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            while (copied < expected) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (started == 0 && !records.isEmpty()) {
                    started = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(to, r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    copied++;
                }
                if (transactional && (System.nanoTime() - lastCommit > 1_000_000_000L || copied >= expected)) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    lastCommit = System.nanoTime();
                    if (copied < expected) {
                        producer.beginTransaction();
                    }
                }
            }
            producer.flush();
            return copied * 1e9 / (System.nanoTime() - started);
        }
    }
}
