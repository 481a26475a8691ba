package io.tributary.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What a reader outside Flink's sources gets of the shared Kafka settings. */
class KafkaSettingsTest {

    @Test
    void anAssigningConsumerCarriesTheSharedSecurityReadsCommittedAndCreatesNoTopic() {
        KafkaSettings kafka = new KafkaSettings("broker-1:9093", Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "isolation.level", "read_uncommitted"), "fraud-detection",
                KafkaOptions.StartingOffsets.EARLIEST, false, null);

        Properties consumer = kafka.assigningConsumerProperties("rules-at-start-1");

        assertThat(consumer).containsEntry("bootstrap.servers", "broker-1:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
                .containsEntry("allow.auto.create.topics", "false")
                .containsEntry("client.id", "fraud-detection-rules-at-start-1")
                .doesNotContainKey("group.id");
    }
}
