package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentIsolationTest {

    @Test
    void noTwoEnvironmentsShareAClusterTopicGroupTransactionalIdStoreNamespaceOrDashboard() {
        Map<String, List<Manifest>> rendered = new LinkedHashMap<>();
        DeployModule.ENVIRONMENTS.forEach(e -> rendered.put(e, RealManifests.rendered(e)));
        assertThat(EnvironmentIsolationCheck.check(rendered)).isEmpty();
    }

    @Test
    void aStagingThatCopiedDevsSettingsSharesEverythingButItsNamespace(@TempDir Path dir) throws Exception {
        Path module = RealManifests.copyOfTheModule(dir);
        Path dev = module.resolve("overlays/dev");
        Path staging = module.resolve("overlays/staging");
        try (Stream<Path> files = Files.list(dev)) {
            for (Path file : files.filter(f -> f.getFileName().toString()
                    .matches(".*-isolation\\.yaml|.*-kafka-user\\.yaml|kafka-cluster\\.yaml")).toList()) {
                Files.copy(file, staging.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path kustomization = staging.resolve("kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization)
                .replace("tributary-pipeline-staging.json", "tributary-pipeline-dev.json"));

        var complaints = EnvironmentIsolationCheck.check(Map.of("dev", RealManifests.renderedCopy(dev), "staging", RealManifests.renderedCopy(staging)));
        String both = "overlays dev and staging share ";
        assertThat(complaints).extracting(c -> c.substring(0, c.indexOf(':'))).containsExactly(
                both + "Grafana dashboard files",
                both + "Iceberg namespaces (catalog/namespace)",
                both + "KafkaTopics (cluster/topic)",
                both + "KafkaUsers (cluster/user)",
                both + "PostgreSQL databases",
                both + "Redis keys (server/database/prefix)",
                both + "consumer groups",
                both + "topics the jobs use (bootstrap servers/topic)",
                both + "transactional id prefixes");
        assertThat(complaints).contains(
                both + "Grafana dashboard files: tributary-pipeline-dev.json",
                both + "Iceberg namespaces (catalog/namespace): https://iceberg-rest.iceberg.svc:8443/tributary_dev",
                both + "PostgreSQL databases: jdbc:postgresql://postgres.postgres.svc:5432/dashboards_dev",
                both + "Redis keys (server/database/prefix): redis-master.redis.svc:6379/0/tributary:dev:features:",
                both + "consumer groups: tributary-dev-fraud-detection, tributary-dev-live-metrics, "
                        + "tributary-dev-transactions-enrichment, tributary-dev-warehouse-sink",
                both + "transactional id prefixes: tributary-dev-fraud-detection, tributary-dev-live-metrics, "
                        + "tributary-dev-transactions-enrichment");
        assertThat(complaints).anySatisfy(c -> assertThat(c).startsWith(both + "KafkaTopics (cluster/topic): ")
                .contains("tributary-dev-kafka/payments.transactions.v1"));
    }

    @Test
    void aSharedDashboardUidIsFound() {
        var staging = RealManifests.with(RealManifests.rendered("staging"), "ConfigMap", map -> {
            ObjectNode data = (ObjectNode) map.path("data");
            String file = data.fieldNames().next();
            data.put(file, data.path(file).asText().replace("\"uid\": \"tributary-staging\"", "\"uid\": \"tributary-dev\""));
        });
        assertThat(EnvironmentIsolationCheck.check(Map.of("dev", RealManifests.rendered("dev"), "staging", staging)))
                .containsExactly("overlays dev and staging share Grafana dashboard uids: tributary-dev");
    }

    @Test
    void jobsMustConnectToTheClusterOfTheirTopicsAndUsers() {
        var dev = RealManifests.with(RealManifests.rendered("dev"), "FlinkDeployment",
                d -> JobDeploymentsCheckTest.args(d).set(5, "tributary-prod-kafka-kafka-bootstrap.kafka.svc:9093"));
        assertThat(EnvironmentIsolationCheck.check(Map.of("dev", dev))).containsExactly("overlays/dev: "
                + "FlinkDeployment/fraud-detection connects to tributary-prod-kafka-kafka-bootstrap.kafka.svc:9093, "
                + "not to the bootstrap service of tributary-dev-kafka, whose topics and users it has");
    }
}
