package io.tributary.benchmarks.chaos;

import io.tributary.benchmarks.endtoend.ReadCommittedConsumer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the enrichment's outputs hold, as a read_committed consumer sees them: how often each event
 * id came out on the enriched and on the late topic, and the dead letters by source record and by
 * reason. Reads incrementally from the start of each topic; {@link #catchUp} reads up to the last
 * stable offset, so aborted and still-open transactions are never counted.
 */
final class OutputTally implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final WriterSchemas schemas;
    private final String enrichedTopic;
    private final String lateTopic;
    private final Map<String, Integer> enriched = new HashMap<>();
    private final Map<String, Integer> late = new HashMap<>();
    /** Dead letters by source record (partition/offset of the payments topic). */
    private final Map<String, Integer> deadLetters = new HashMap<>();
    private final Map<String, Long> reasons = new TreeMap<>();
    private long undecodable;

    OutputTally(String bootstrapServers, String registryUrl, String enrichedTopic, String lateTopic,
            String deadLetterTopic) {
        this.consumer = ReadCommittedConsumer.fromEarliest(bootstrapServers, "chaos-oracle-");
        this.schemas = new WriterSchemas(registryUrl);
        this.enrichedTopic = enrichedTopic;
        this.lateTopic = lateTopic;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(enrichedTopic, lateTopic, deadLetterTopic)) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads everything committed so far (up to the last stable offsets as of this call). */
    void catchUp(Duration timeout) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                return; // the next call goes on from here
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                count(record);
            }
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> record) {
        GenericRecord value;
        try {
            value = schemas.decode(record.value());
        } catch (IOException | RuntimeException e) {
            undecodable++;
            return;
        }
        if (record.topic().equals(enrichedTopic)) {
            enriched.merge(value.get("event_id").toString(), 1, Integer::sum);
        } else if (record.topic().equals(lateTopic)) {
            late.merge(((GenericRecord) value.get("transaction")).get("event_id").toString(), 1, Integer::sum);
        } else {
            deadLetters.merge(value.get("source_partition") + "/" + value.get("source_offset"), 1, Integer::sum);
            reasons.merge(value.get("reason").toString(), 1L, Long::sum);
        }
    }

    /** How often each event id came out enriched. */
    Map<String, Integer> enriched() {
        return enriched;
    }

    /** How often each event id came out on the late topic. */
    Map<String, Integer> late() {
        return late;
    }

    /** How often each source record (partition/offset) was dead-lettered. */
    Map<String, Integer> deadLetters() {
        return deadLetters;
    }

    /** Dead letters by reason. */
    Map<String, Long> reasons() {
        return reasons;
    }

    /** Output records that are not Confluent-framed Avro of a known schema. */
    long undecodable() {
        return undecodable;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
