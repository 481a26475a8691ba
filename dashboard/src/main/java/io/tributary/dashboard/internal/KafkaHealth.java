package io.tributary.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka half of the pipeline's health, from the admin API alone: every consumer group's lag,
 * and the growth of the topics whose rate the page shows (dead letters, late payments). One round
 * of requests per refresh: the groups, their offsets, then the end offsets of every partition
 * involved at once.
 */
public final class KafkaHealth implements AutoCloseable {
    /** A topic whose write rate the page shows, under the name the page gives it. */
    public record WatchedTopic(String label, String topic) {}

    /** A watched topic's records per second, null until two samples exist. */
    public record TopicRate(String label, String topic, Double perSecond) {}

    /** What one refresh found. */
    public record Sample(List<ConsumerLag.GroupLag> lag, List<TopicRate> rates) {}

    private final Admin admin;
    private final List<WatchedTopic> watched;
    private final TopicGrowth growth;
    private final long timeoutMillis;

    public KafkaHealth(Properties client, List<WatchedTopic> watched, Duration rateSpan, Duration timeout) {
        this.admin = Admin.create(client);
        this.watched = List.copyOf(watched);
        this.growth = new TopicGrowth(rateSpan);
        this.timeoutMillis = timeout.toMillis();
    }

    public Sample sample(Instant now) throws Exception {
        Map<String, ListConsumerGroupOffsetsSpec> groups = new LinkedHashMap<>();
        for (GroupListing group : admin.listGroups().all().get(timeoutMillis, TimeUnit.MILLISECONDS)) {
            groups.put(group.groupId(), new ListConsumerGroupOffsetsSpec());
        }
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        if (!groups.isEmpty()) {
            var offsets = admin.listConsumerGroupOffsets(groups);
            for (String group : groups.keySet()) {
                Map<TopicPartition, Long> partitions = new HashMap<>();
                offsets.partitionsToOffsetAndMetadata(group).get(timeoutMillis, TimeUnit.MILLISECONDS)
                        .forEach((partition, offset) -> {
                            if (offset != null) {
                                partitions.put(partition, offset.offset());
                            }
                        });
                committed.put(group, partitions);
            }
        }
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        committed.values().forEach(partitions -> partitions.keySet().forEach(p -> wanted.put(p, OffsetSpec.latest())));
        Map<String, List<TopicPartition>> watchedPartitions = watchedPartitions();
        watchedPartitions.values().forEach(partitions -> partitions.forEach(p -> wanted.put(p, OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (!wanted.isEmpty()) {
            admin.listOffsets(wanted, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        }
        List<TopicRate> rates = new ArrayList<>();
        for (WatchedTopic topic : watched) {
            List<TopicPartition> partitions = watchedPartitions.get(topic.topic());
            if (partitions != null) {
                growth.record(topic.topic(), now, partitions.stream().mapToLong(p -> ends.getOrDefault(p, 0L)).sum());
            }
            rates.add(new TopicRate(topic.label(), topic.topic(), growth.perSecond(topic.topic())));
        }
        return new Sample(ConsumerLag.of(committed, ends), rates);
    }

    /** The partitions of the watched topics that exist; a missing topic has no rate yet. */
    private Map<String, List<TopicPartition>> watchedPartitions() throws Exception {
        List<String> names = watched.stream().map(WatchedTopic::topic).distinct().toList();
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        var described = admin.describeTopics(names).topicNameValues();
        for (String name : names) {
            try {
                TopicDescription d = described.get(name).get(timeoutMillis, TimeUnit.MILLISECONDS);
                partitions.put(name, d.partitions().stream().map(p -> new TopicPartition(name, p.partition())).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return partitions;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
