package io.tributary.jobs.common;

import java.util.List;
import java.util.Map;

/**
 * What a job touches outside itself, from its settings: what the deployment checks grant it (Kafka
 * ACLs, NetworkPolicies) and what the lineage document draws.
 *
 * @param stateful whether it keeps keyed or operator state, so needs checkpoints to restore
 * @param groupId its Kafka consumer group
 * @param transactionalIdPrefix its Kafka sinks' transactional id prefix; null for a job that writes no topic
 * @param inputs the topics it reads
 * @param outputs the topics it writes
 * @param kafkaClientProperties what its Kafka clients are given beside the bootstrap servers
 */
public record JobFootprint(boolean stateful, String groupId, String transactionalIdPrefix, List<String> inputs,
        List<String> outputs, Map<String, String> kafkaClientProperties) {}
