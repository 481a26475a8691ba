package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParseAndSchemaTest {
    private static final String ID = "FlinkDeployment/transactions-enrichment";

    @Test
    void everyManifestParses() {
        assertThat(ParseCheck.check(DeployModule.ROOT)).isEmpty();
    }

    @Test
    void aFileThatDoesNotParseIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("base/topic.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Files.readString(DeployModule.BASE.resolve("kafka-topics.yaml"))
                .replace("  partitions: 6", "  partitions: 6\n partitions: 6"));
        assertThat(ParseCheck.checkFile(dir, file, true)).singleElement().asString()
                .startsWith("base/topic.yaml does not parse: ");
    }

    @Test
    void aDeployedDocumentMustSayWhatItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rbac.yaml");
        Files.writeString(file, Files.readString(DeployModule.BASE.resolve("rbac.yaml")).replaceFirst("(?m)^kind: Role\n", ""));
        assertThat(ParseCheck.checkFile(dir, file, true)).containsExactly("rbac.yaml document 10 has no kind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging", "prod"})
    void everyRenderedStrimziResourceIsV1(String environment) {
        assertThat(RealManifests.rendered(environment)).filteredOn(m -> m.doc().path("apiVersion").asText().startsWith("kafka.strimzi.io/"))
                .extracting(m -> m.doc().path("apiVersion").asText())
                .hasSize(15)
                .containsOnly("kafka.strimzi.io/v1");
    }

    @Test
    void aMisspeltFieldAndABadEnumValueAreFound() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> {
            ObjectNode job = (ObjectNode) d.path("spec").path("job");
            job.set("upgradeMod", job.remove("upgradeMode"));
            ((ObjectNode) d.path("spec")).put("flinkVersion", "v2_2");
        });
        assertThat(CrdSchemaCheck.committed().check(broken)).containsExactlyInAnyOrder(
                ID + ": /spec/flinkVersion: does not have a value in the enumeration [\"v1_13\", \"v1_14\", \"v1_15\", "
                        + "\"v1_16\", \"v1_17\", \"v1_18\", \"v1_19\", \"v1_20\", \"v2_0\", \"v2_1\"]",
                ID + ": /spec/job: property 'upgradeMod' is not defined in the schema and the schema does not allow "
                        + "additional properties");
    }

    @Test
    void aV1beta2KafkaUserIsRefused() {
        // As Strimzi 0.x wrote an ACL: one operation, which v1 no longer has.
        var broken = RealManifests.baseWith("KafkaUser", u -> {
            u.put("apiVersion", "kafka.strimzi.io/v1beta2");
            ObjectNode acl = (ObjectNode) u.at("/spec/authorization/acls/0");
            acl.remove("operations");
            acl.put("operation", "Read");
        });
        String user = "KafkaUser/tributary-transactions-enrichment";
        assertThat(CrdSchemaCheck.committed().check(broken)).containsExactly(
                user + ": apiVersion kafka.strimzi.io/v1beta2, which Strimzi 1.0 removed; Strimzi serves only "
                        + "kafka.strimzi.io/v1",
                user + ": /spec/authorization/acls/0: required property 'operations' not found",
                user + ": /spec/authorization/acls/0: property 'operation' is not defined in the schema and the schema "
                        + "does not allow additional properties");
    }

    @Test
    void anInvalidV1KafkaTopicIsRefused() {
        var broken = RealManifests.baseWith("KafkaTopic", t -> {
            ObjectNode spec = (ObjectNode) t.path("spec");
            spec.put("partitions", 0);
            spec.set("replica", spec.remove("replicas"));
        });
        String topic = "KafkaTopic/payments.transactions.v1";
        assertThat(CrdSchemaCheck.committed().check(broken)).containsExactlyInAnyOrder(
                topic + ": /spec/partitions: must have a minimum value of 1",
                topic + ": /spec: property 'replica' is not defined in the schema and the schema does not allow "
                        + "additional properties");
    }

    @Test
    void aStrimziKindWithoutItsCrdIsFound() {
        var broken = RealManifests.baseWith("KafkaTopic", t -> t.put("kind", "KafkaRebalance"));
        assertThat(CrdSchemaCheck.committed().check(broken)).containsExactly("KafkaRebalance/payments.transactions.v1: "
                + "no CRD of KafkaRebalance in schema/strimzi to check it with");
    }
}
