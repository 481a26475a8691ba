package io.tributary.jobs.common;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a job touches outside itself, from its settings: what the deployment checks grant it (Kafka
 * ACLs, NetworkPolicies) and what the lineage document draws.
 *
 * @param stateful whether it keeps keyed or operator state, so needs checkpoints to restore
 * @param groupId its Kafka consumer group; null for a job that reads no topic
 * @param transactionalIdPrefix its Kafka sinks' transactional id prefix; null for a job that writes no topic
 * @param bootstrapServers the Kafka cluster of its topics; null for a job that uses none
 * @param inputs the topics it reads
 * @param outputs the topics it writes
 * @param kafkaClientProperties what its Kafka clients are given beside the bootstrap servers
 * @param reads what it reads beyond Kafka: tables
 * @param writes what it writes beyond Kafka: Redis keys, tables
 */
public record JobFootprint(boolean stateful, String groupId, String transactionalIdPrefix, String bootstrapServers,
        List<String> inputs, List<String> outputs, Map<String, String> kafkaClientProperties, List<Dataset> reads,
        List<Dataset> writes) {

    /** Everything it reads: its topics, then the other datasets. */
    public List<Dataset> inputDatasets() {
        return Stream.concat(inputs.stream().map(t -> Dataset.kafkaTopic(bootstrapServers, t)), reads.stream()).toList();
    }

    /** Everything it writes: its topics, then the other datasets. */
    public List<Dataset> outputDatasets() {
        return Stream.concat(outputs.stream().map(t -> Dataset.kafkaTopic(bootstrapServers, t)), writes.stream()).toList();
    }
}
