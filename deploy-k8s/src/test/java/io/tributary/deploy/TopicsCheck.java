package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.contracts.TopicContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Strimzi KafkaTopics against event-schemas' TopicContract: one per contract and no other, with
 * the contract's partitions and retention/cleanup configs, and the restricted annotation exactly on
 * the topics the contract restricts.
 */
final class TopicsCheck {
    static final String RESTRICTED = "tributary.io/restricted";

    private TopicsCheck() {}

    /** A KafkaTopic's topic name: spec.topicName, else the resource name (Strimzi's rule). */
    static String topicName(Manifest topic) {
        return topic.doc().path("spec").path("topicName").asText(topic.name());
    }

    static boolean restricted(Manifest topic) {
        return topic.doc().path("metadata").path("annotations").path(RESTRICTED).asText().equals("true");
    }

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        Map<String, Manifest> topics = new LinkedHashMap<>();
        for (Manifest topic : Manifests.ofKind(manifests, "KafkaTopic")) {
            if (topics.putIfAbsent(topicName(topic), topic) != null) {
                complaints.add(topic.id() + ": a second KafkaTopic for " + topicName(topic));
            }
            if (TopicContract.forTopic(topicName(topic)).isEmpty()) {
                complaints.add(topic.id() + ": " + topicName(topic) + " is not a topic of TopicContract");
            }
        }
        for (TopicContract contract : TopicContract.values()) {
            Manifest topic = topics.get(contract.topic());
            if (topic == null) {
                complaints.add("no KafkaTopic for " + contract.topic() + " (TopicContract." + contract.name() + ")");
                continue;
            }
            JsonNode spec = topic.doc().path("spec");
            if (spec.path("partitions").asInt() != contract.partitions()) {
                complaints.add(topic.id() + ": partitions " + spec.path("partitions").asText("(not set)")
                        + ", the contract says " + contract.partitions());
            }
            contract.topicConfigs().forEach((key, value) -> {
                JsonNode actual = spec.path("config").path(key);
                if (!actual.asText().equals(value)) {
                    complaints.add(topic.id() + ": " + key + " is " + (actual.isMissingNode() ? "not set" : actual.asText())
                            + ", the contract says " + value);
                }
            });
            if (contract.restricted() != restricted(topic)) {
                complaints.add(topic.id() + (contract.restricted()
                        ? ": the contract restricts this topic; annotate it " + RESTRICTED + ": \"true\""
                        : ": annotated " + RESTRICTED + ", which the contract does not say"));
            }
        }
        return complaints;
    }
}
