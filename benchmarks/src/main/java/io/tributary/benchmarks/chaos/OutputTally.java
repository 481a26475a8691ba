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
 * What the jobs' topics hold, as a read_committed consumer sees them: how often each event id came
 * out on the enriched and on the late topic (and each enriched event's account, time, USD amount
 * and country), the enrichment's dead letters by source record and by reason, the downstream jobs'
 * dead letters by job, and how often each alert id came out on the alerts topic (and the event it
 * is about). Reads incrementally from the start of each topic; {@link #catchUp} reads up to the
 * last stable offset, so aborted and still-open transactions are never counted.
 */
final class OutputTally implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final WriterSchemas schemas;
    private final String enrichedTopic;
    private final String lateTopic;
    private final String alertTopic;
    private final Map<String, Integer> enriched = new HashMap<>();
    private final Map<String, Integer> late = new HashMap<>();
    /** Dead letters by source record (topic/partition/offset). */
    private final Map<String, Integer> deadLetters = new HashMap<>();
    private final Map<String, Long> reasons = new TreeMap<>();
    /** What the feature check needs of each enriched event, by event id (the first read of each). */
    private final Map<String, AccountFeatures.Payment> payments = new HashMap<>();
    /** Account ids and countries, held once however many payments name them. */
    private final Map<String, String> interned = new HashMap<>();
    /** Dead letters of the jobs other than the enrichment, by job. */
    private final Map<String, Long> downstreamDeadLetters = new TreeMap<>();
    private final Map<String, Integer> alerts = new HashMap<>();
    /** The event id each alert id is about. */
    private final Map<String, String> alertEvents = new HashMap<>();
    private long undecodable;

    OutputTally(String bootstrapServers, String registryUrl, String enrichedTopic, String lateTopic,
            String deadLetterTopic, String alertTopic) {
        this.consumer = ReadCommittedConsumer.fromEarliest(bootstrapServers, "chaos-oracle-");
        this.schemas = new WriterSchemas(registryUrl);
        this.enrichedTopic = enrichedTopic;
        this.lateTopic = lateTopic;
        this.alertTopic = alertTopic;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(enrichedTopic, lateTopic, deadLetterTopic, alertTopic)) {
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
            String eventId = value.get("event_id").toString();
            enriched.merge(eventId, 1, Integer::sum);
            payments.putIfAbsent(eventId, AccountFeatures.Payment.of(value, interned));
        } else if (record.topic().equals(lateTopic)) {
            late.merge(((GenericRecord) value.get("transaction")).get("event_id").toString(), 1, Integer::sum);
        } else if (record.topic().equals(alertTopic)) {
            String alertId = value.get("alert_id").toString();
            alerts.merge(alertId, 1, Integer::sum);
            alertEvents.put(alertId, value.get("event_id").toString());
        } else if (!ChaosRun.JOB.equals(value.get("job").toString())) {
            downstreamDeadLetters.merge(value.get("job").toString(), 1L, Long::sum);
        } else {
            deadLetters.merge(value.get("source_topic") + "/" + value.get("source_partition") + "/" + value.get("source_offset"),
                    1, Integer::sum);
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

    /** Each event that came out enriched: its account, time, USD amount and country. */
    Map<String, AccountFeatures.Payment> payments() {
        return payments;
    }

    /** How often each alert id came out. */
    Map<String, Integer> alerts() {
        return alerts;
    }

    /** The event id each alert is about. */
    Map<String, String> alertEvents() {
        return alertEvents;
    }

    /** Dead letters written by the jobs other than the enrichment, by job. */
    Map<String, Long> downstreamDeadLetters() {
        return downstreamDeadLetters;
    }

    /** How often each source record (topic/partition/offset) was dead-lettered by the enrichment. */
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
