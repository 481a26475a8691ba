package io.tributary.dashboard.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each consumer group is behind: per partition, the end offset a read_committed reader can
 * reach (the last stable offset) minus the group's committed offset, summed over the group. The
 * jobs' Kafka sources commit their offsets to their group when a checkpoint completes, so a job's
 * lag also grows while its checkpoints fail, even if it reads on.
 */
public final class ConsumerLag {
    /** A group's lag in records over its partitions, and the topics it reads. */
    public record GroupLag(String group, List<String> topics, long lag, int partitions) {}

    private ConsumerLag() {
    }

    /**
     * The lag of every group with committed offsets, largest first.
     *
     * @param committed per group, the committed offset of each partition
     * @param ends the end offset of each of those partitions; one missing counts as no lag
     */
    public static List<GroupLag> of(Map<String, Map<TopicPartition, Long>> committed, Map<TopicPartition, Long> ends) {
        return committed.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> {
                    long lag = e.getValue().entrySet().stream()
                            .mapToLong(p -> Math.max(0, ends.getOrDefault(p.getKey(), p.getValue()) - p.getValue()))
                            .sum();
                    List<String> topics = List.copyOf(new TreeSet<>(e.getValue().keySet().stream().map(TopicPartition::topic).toList()));
                    return new GroupLag(e.getKey(), topics, lag, e.getValue().size());
                })
                .sorted(Comparator.comparingLong(GroupLag::lag).reversed().thenComparing(GroupLag::group))
                .toList();
    }
}
