package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class TopicsCheckTest {

    @Test
    void partitionsAndRetentionMustBeTheContracts() {
        var broken = RealManifests.baseWith("KafkaTopic", t -> {
            ((ObjectNode) t.path("spec")).put("partitions", 3);
            ((ObjectNode) t.path("spec").path("config")).put("retention.ms", "86400000").remove("cleanup.policy");
        });
        assertThat(TopicsCheck.check(broken)).containsExactly(
                "KafkaTopic/payments.transactions.v1: partitions 3, the contract says 6",
                "KafkaTopic/payments.transactions.v1: cleanup.policy is not set, the contract says delete",
                "KafkaTopic/payments.transactions.v1: retention.ms is 86400000, the contract says 604800000");
    }

    @Test
    void aMissingRenamedOrUnrestrictedTopicIsFound() {
        var renamed = RealManifests.baseWith("KafkaTopic",
                t -> ((ObjectNode) t.path("spec")).put("topicName", "payments.transaction.v1"));
        assertThat(TopicsCheck.check(renamed)).containsExactly(
                "KafkaTopic/payments.transactions.v1: payments.transaction.v1 is not a topic of TopicContract",
                "no KafkaTopic for payments.transactions.v1 (TopicContract.TRANSACTIONS)");

        var dlq = RealManifests.base().stream()
                .map(m -> TopicsCheck.restricted(m) ? unrestricted(m) : m)
                .toList();
        assertThat(TopicsCheck.check(dlq)).containsExactly("KafkaTopic/payments.transactions.dlq.v1: the contract "
                + "restricts this topic; annotate it tributary.io/restricted: \"true\"");
    }

    private static Manifest unrestricted(Manifest topic) {
        Manifest copy = topic.copy();
        ((ObjectNode) copy.doc().path("metadata")).remove("annotations");
        return copy;
    }
}
