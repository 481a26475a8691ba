package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringChecksTest {
    private static final JsonNode DASHBOARD = Manifests.readJson(DeployModule.DASHBOARD);

    @Test
    void theJobsMetricsAreReadFromTheirSources() {
        // Counters, a gauge, and a counter under a key group (whose key joins the name).
        assertThat(RegisteredMetrics.scan(DeployModule.STREAMING_JOBS_SOURCES))
                .contains("recordsRead", "enriched", "watermarkLagMs", "reason_deadLetters")
                .doesNotContain("deadLetters");
    }

    @Test
    void keyGroupsChainedBeforeARegistrationAllJoinTheName() {
        assertThat(RegisteredMetrics.in("""
                getMetricGroup().addGroup("topic", topic).addGroup("field", name)
                        .gauge("nullRate", (Gauge<Double>) () -> rate);
                group.addGroup("topic", topic).counter("newWriterSchemas");
                """)).containsExactlyInAnyOrder("topic_field_nullRate", "topic_newWriterSchemas");
        assertThat(RegisteredMetrics.scan(DeployModule.STREAMING_JOBS_SOURCES))
                .contains("topic_volumeRatio", "topic_field_nullRate", "topic_field_nullRateMax", "topic_amountPsi",
                        "topic_currencyPsi", "topic_psiMax", "topic_writerSchemas", "topic_newWriterSchemas");
    }

    /** Issue 15: each input-quality measure alerts past the bound the job publishes beside it. */
    @Test
    void everyInputQualityMeasureAlertsAgainstItsPublishedBound() {
        List<String> alerts = new ArrayList<>();
        for (Manifest rules : Manifests.ofKind(RealManifests.base(), "PrometheusRule")) {
            for (JsonNode rule : rules.doc().path("spec").findParents("expr")) {
                if (rule.has("alert")) {
                    alerts.add(rule.path("expr").asText());
                }
            }
        }
        String scope = MetricNamesCheck.operatorScope();
        for (String[] measureAndBound : new String[][] {{"topic_volumeRatio", "topic_volumeRatioMin"},
            {"topic_volumeRatio", "topic_volumeRatioMax"}, {"topic_amountPsi", "topic_psiMax"},
            {"topic_currencyPsi", "topic_psiMax"}, {"topic_field_nullRate", "topic_field_nullRateMax"}}) {
            assertThat(alerts).as(measureAndBound[0] + " against " + measureAndBound[1])
                    .anyMatch(e -> e.contains(scope + measureAndBound[0] + "{") && e.contains(scope + measureAndBound[1] + "{"));
        }
        assertThat(alerts).anyMatch(e -> e.contains(scope + "topic_newWriterSchemas{"));
    }

    @Test
    void userMetricsAppearInOperatorScopeWithKeyGroupsInTheName() {
        assertThat(MetricNamesCheck.operatorScope()).isEqualTo("flink_taskmanager_job_task_operator_");
    }

    @Test
    void aMetricTheJobsDoNotRegisterIsFound() {
        var broken = RealManifests.baseWith("PrometheusRule", r -> ((ObjectNode) r.path("spec").path("groups")
                .get(0).path("rules").get(0)).put("expr", "sum(flink_taskmanager_job_task_operator_enrichedRecords) < 1"));
        ObjectNode dashboard = DASHBOARD.deepCopy();
        ((ObjectNode) dashboard.path("panels").get(1).path("targets").get(0))
                .put("expr", "max(flink_jobmanager_job_uptime)");
        assertThat(MetricNamesCheck.fromCode().check(broken, dashboard)).containsExactly(
                "PrometheusRule/tributary-flink: rule TributaryJobNotRunning uses "
                        + "flink_taskmanager_job_task_operator_enrichedRecords, which the jobs do not register and "
                        + "Flink does not provide",
                "dashboard panel 'Running' uses flink_jobmanager_job_uptime, which the jobs do not register and "
                        + "Flink does not provide");
    }

    /** Records kept out of an output on purpose are counted, and the counts alert: none leaves silently. */
    @Test
    void conflictingDuplicatesLatePaymentsDashboardDropsAndRowsRefusedByAStoreAlert() {
        List<String> alerts = new ArrayList<>();
        for (Manifest rules : Manifests.ofKind(RealManifests.base(), "PrometheusRule")) {
            for (JsonNode group : rules.doc().path("spec").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        alerts.add(rule.path("expr").asText());
                    }
                }
            }
        }

        assertThat(alerts).anyMatch(e -> e.contains("flink_taskmanager_job_task_operator_duplicateConflicts{"));
        // The share of payments sent to the late topic, not a count: a busy hour must not page.
        assertThat(alerts).anyMatch(e -> e.contains("rate(flink_taskmanager_job_task_operator_late{")
                && e.contains("/ sum by (namespace, job_name) (rate(flink_taskmanager_job_task_operator_enriched{")
                && e.contains("job_name=\"transactions-enrichment\""));
        assertThat(alerts).anyMatch(e -> e.contains("flink_taskmanager_job_task_operator_numLateRecordsDropped{")
                && e.contains("job_name=\"live-metrics\""));
        assertThat(alerts).anyMatch(e -> e.contains("flink_taskmanager_job_task_operator_storeDeadLetters{"));
    }

    @Test
    void aMissingRunbookOrAbsenceAlertIsFound() {
        var broken = RealManifests.baseWith("PrometheusRule", r -> {
            ArrayNode rules = (ArrayNode) r.path("spec").path("groups").get(0).path("rules");
            ((ObjectNode) rules.get(0).path("annotations")).put("runbook", "runbooks/restart.md");
            rules.remove(1);
        });
        assertThat(AlertRulesCheck.check(broken, DeployModule.ROOT, List.of("transactions-enrichment"))).containsExactly(
                "PrometheusRule/tributary-flink: alert TributaryJobNotRunning names runbook runbooks/restart.md, "
                        + "which does not exist",
                "no alert fires when job transactions-enrichment sends no metrics: "
                        + "absent(flink_jobmanager_job_runningState{job_name=\"transactions-enrichment\"})");
    }

    @Test
    void aTransactionAlertThatWaitsLongerThanHalfTheTimeoutIsFound() {
        var late = RealManifests.baseWith("PrometheusRule", r -> r.findParents("expr").forEach(rule -> {
            String expr = rule.path("expr").asText();
            if (expr.contains("numberOfCompletedCheckpoints")) {
                ((ObjectNode) rule).put("expr", expr.replace("[7m]", "[15m]"));
            }
        }));
        assertThat(AlertRulesCheck.check(late, DeployModule.ROOT, List.of())).containsExactly("no critical alert fires when a job"
                + " writing Kafka transactions completes no checkpoint for 7 min, half its shortest"
                + " tributary.kafka.transaction-timeout (14 min): increase(flink_jobmanager_job_numberOfCompletedCheckpoints"
                + "{...}[7m]) == 0");
    }

    @Test
    void anOverlayWithoutTheMonitoringComponentWatchesNoNamespace(@TempDir Path dir) throws Exception {
        Path staging = RealManifests.copyOfTheModule(dir).resolve("overlays/staging");
        Path kustomization = staging.resolve("kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization)
                .replace("  - ../../components/namespaced-monitoring\n", ""));
        var complaints = MonitoringNamespaceCheck.check(RealManifests.renderedCopy(staging));
        assertThat(complaints).hasSize(37).contains(
                "PrometheusRule/tributary-flink: rule TributaryJobMetricsAbsent: flink_jobmanager_job_runningState"
                        + "{namespace=\"NAMESPACE\", job_name=\"transactions-enrichment\"} does not filter "
                        + "namespace=\"tributary-staging\"",
                "ConfigMap/tributary-grafana-dashboard tributary-pipeline-staging.json: the variable namespace must be "
                        + "the constant tributary-staging");
    }

    @Test
    void anAlertOrPanelWithoutTheNamespaceFilterIsFound() {
        var broken = RealManifests.with(RealManifests.rendered("dev"), "PrometheusRule",
                r -> ((ObjectNode) r.at("/spec/groups/0/rules/2"))
                        .put("expr", "absent(flink_jobmanager_job_runningState{job_name=\"fraud-detection\"})"));
        broken = RealManifests.with(broken, "ConfigMap", map -> {
            ObjectNode data = (ObjectNode) map.path("data");
            String file = data.fieldNames().next();
            data.put(file, data.path(file).asText().replace("flink_jobmanager_numRegisteredTaskManagers{namespace=\\\"$namespace\\\"}",
                    "flink_jobmanager_numRegisteredTaskManagers"));
        });
        assertThat(MonitoringNamespaceCheck.check(broken)).containsExactly(
                "PrometheusRule/tributary-flink: rule TributaryJobMetricsAbsent: flink_jobmanager_job_runningState"
                        + "{job_name=\"fraud-detection\"} does not filter namespace=\"tributary-dev\"",
                "ConfigMap/tributary-grafana-dashboard tributary-pipeline-dev.json panel 'TaskManagers': "
                        + "flink_jobmanager_numRegisteredTaskManagers does not filter namespace=\"$namespace\"");
    }
}
