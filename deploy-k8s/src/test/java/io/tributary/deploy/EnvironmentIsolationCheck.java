package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.metrics.MetricsOptions;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseSinkJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;

/**
 * No two environments share anything that one of them writes or reconciles: a Kafka topic or
 * KafkaUser of the same cluster, a consumer group, a transactional id prefix (their producers would
 * fence each other), Redis keys, a PostgreSQL database, an Iceberg namespace of the same catalog,
 * or a Grafana dashboard's uid or file. Within each environment, the jobs connect to the Kafka
 * cluster that its KafkaTopics and KafkaUsers belong to. Read from the rendered overlays, with the
 * jobs' own configuration code.
 */
final class EnvironmentIsolationCheck {
    static final String CLUSTER_LABEL = "strimzi.io/cluster";

    private EnvironmentIsolationCheck() {}

    /** {@code rendered}: each environment's rendered overlay, by environment. */
    static List<String> check(Map<String, List<Manifest>> rendered) {
        List<String> complaints = new ArrayList<>();
        // What -> value -> the environments that use it.
        Map<String, Map<String, Set<String>>> uses = new TreeMap<>();
        rendered.forEach((environment, manifests) -> {
            complaints.addAll(oneKafkaCluster(environment, manifests));
            claims(manifests).forEach((what, values) -> values.forEach(value -> uses
                    .computeIfAbsent(what, w -> new TreeMap<>())
                    .computeIfAbsent(value, v -> new TreeSet<>())
                    .add(environment)));
        });
        uses.forEach((what, values) -> {
            Map<Set<String>, List<String>> shared = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            values.forEach((value, environments) -> {
                if (environments.size() > 1) {
                    shared.computeIfAbsent(environments, e -> new ArrayList<>()).add(value);
                }
            });
            shared.forEach((environments, sharedValues) -> complaints.add("overlays " + String.join(" and ", environments)
                    + " share " + what + ": " + String.join(", ", sharedValues)));
        });
        return complaints;
    }

    /** What one environment writes or reconciles, by what it is. */
    private static Map<String, Set<String>> claims(List<Manifest> manifests) {
        Map<String, Set<String>> claims = new TreeMap<>();
        for (Manifest topic : Manifests.ofKind(manifests, "KafkaTopic")) {
            claim(claims, "KafkaTopics (cluster/topic)", cluster(topic) + "/" + TopicsCheck.topicName(topic));
        }
        for (Manifest user : Manifests.ofKind(manifests, "KafkaUser")) {
            claim(claims, "KafkaUsers (cluster/user)", cluster(user) + "/" + user.name());
        }
        for (DeployedJob job : DeployedJob.resolvable(manifests)) {
            Configuration c = job.configuration();
            String bootstrap = c.get(KafkaOptions.BOOTSTRAP_SERVERS);
            Footprints.Footprint footprint = job.footprint();
            footprint.inputs().forEach(t -> claim(claims, "topics the jobs use (bootstrap servers/topic)", bootstrap + "/" + t));
            footprint.outputs().forEach(t -> claim(claims, "topics the jobs use (bootstrap servers/topic)", bootstrap + "/" + t));
            claim(claims, "consumer groups", footprint.groupId());
            if (footprint.transactionalIdPrefix() != null) {
                claim(claims, "transactional id prefixes", footprint.transactionalIdPrefix());
            }
            c.getOptional(FraudOptions.REDIS_HOST).ifPresent(host -> claim(claims, "Redis keys (server/database/prefix)",
                    host + ":" + c.get(FraudOptions.REDIS_PORT) + "/" + c.get(FraudOptions.REDIS_DATABASE) + "/"
                            + c.get(FraudOptions.REDIS_KEY_PREFIX)));
            c.getOptional(MetricsOptions.POSTGRES_URL).ifPresent(url -> claim(claims, "PostgreSQL databases",
                    url.replaceFirst("\\?.*", "")));
            if (job.job().equals(WarehouseSinkJob.NAME)) {
                WarehouseCatalog catalog = WarehouseCatalog.from(c);
                String where = catalog.type() == WarehouseOptions.CatalogType.REST ? catalog.uri() : catalog.location();
                claim(claims, "Iceberg namespaces (catalog/namespace)", where + "/" + catalog.namespace());
            }
        }
        for (MonitoringNamespaceCheck.Dashboard dashboard : MonitoringNamespaceCheck.dashboards(manifests)) {
            claim(claims, "Grafana dashboard uids", dashboard.json().path("uid").asText());
            // Grafana's sidecar writes every dashboard to one folder, under its key.
            claim(claims, "Grafana dashboard files", dashboard.file());
        }
        return claims;
    }

    /** The jobs' bootstrap servers are the service Strimzi makes for the one cluster of the Strimzi resources. */
    private static List<String> oneKafkaCluster(String environment, List<Manifest> manifests) {
        Set<String> clusters = new TreeSet<>();
        manifests.stream().filter(m -> m.doc().path("apiVersion").asText().startsWith(CrdSchemaCheck.STRIMZI_GROUP + "/"))
                .forEach(m -> clusters.add(cluster(m)));
        if (clusters.size() != 1) {
            return List.of("overlays/" + environment + ": the KafkaTopics and KafkaUsers belong to " + clusters.size()
                    + " Kafka clusters " + clusters + ", not one");
        }
        String cluster = clusters.iterator().next();
        List<String> complaints = new ArrayList<>();
        for (DeployedJob job : DeployedJob.resolvable(manifests)) {
            String bootstrap = job.configuration().get(KafkaOptions.BOOTSTRAP_SERVERS);
            if (!bootstrap.startsWith(cluster + "-kafka-bootstrap.")) {
                complaints.add("overlays/" + environment + ": " + job.deployment().id() + " connects to " + bootstrap
                        + ", not to the bootstrap service of " + cluster + ", whose topics and users it has");
            }
        }
        return complaints;
    }

    private static String cluster(Manifest strimziResource) {
        JsonNode label = strimziResource.doc().path("metadata").path("labels").path(CLUSTER_LABEL);
        return label.asText("(no " + CLUSTER_LABEL + " label)");
    }

    private static void claim(Map<String, Set<String>> claims, String what, String value) {
        claims.computeIfAbsent(what, w -> new TreeSet<>()).add(value);
    }
}
