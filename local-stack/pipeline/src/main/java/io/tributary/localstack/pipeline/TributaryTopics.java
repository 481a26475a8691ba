package io.tributary.localstack.pipeline;

import io.tributary.contracts.TopicContract;
import io.tributary.localstack.KafkaBroker;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;

/** The topics of DESIGN.md, as their contracts define them (partitions, compaction, retention). */
public final class TributaryTopics {
    private TributaryTopics() {}

    /** One topic per contract, with one replica: the local broker has one node. */
    public static List<NewTopic> newTopics() {
        return newTopics("");
    }

    /**
     * The same topics with {@code prefix} before each name: tests that share a broker use their own
     * set of topics.
     */
    public static List<NewTopic> newTopics(String prefix) {
        return Arrays.stream(TopicContract.values())
                .map(c -> new NewTopic(prefix + c.topic(), c.partitions(), (short) 1).configs(c.topicConfigs()))
                .toList();
    }

    /** Creates every topic that does not exist yet, and waits until each partition has a leader. */
    public static void createAll(KafkaBroker kafka) {
        kafka.createTopics(newTopics());
    }
}
