package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every alert names a runbook that exists, and every job has an alert for when it sends no metrics
 * at all (a dead JobManager silences every other rule).
 */
final class AlertRulesCheck {
    private AlertRulesCheck() {}

    static List<String> check(List<Manifest> manifests, Path moduleRoot, List<String> jobs) {
        List<String> complaints = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (Manifest rules : Manifests.ofKind(manifests, "PrometheusRule")) {
            for (JsonNode group : rules.doc().path("spec").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    expressions.add(rule.path("expr").asText());
                    if (!rule.has("alert")) {
                        continue;
                    }
                    String alert = rules.id() + ": alert " + rule.path("alert").asText();
                    String runbook = rule.path("annotations").path("runbook").asText();
                    if (runbook.isEmpty()) {
                        complaints.add(alert + " names no runbook");
                    } else if (!Files.isRegularFile(moduleRoot.resolve(runbook))) {
                        complaints.add(alert + " names runbook " + runbook + ", which does not exist");
                    }
                }
            }
        }
        for (String job : jobs) {
            // Other matchers (the namespace) may come with the job's.
            Pattern absent = Pattern.compile("absent\\(flink_jobmanager_job_runningState\\{[^}]*\\bjob_name=\""
                    + Pattern.quote(job) + "\"[^}]*}\\)");
            if (expressions.stream().noneMatch(e -> absent.matcher(e).find())) {
                complaints.add("no alert fires when job " + job + " sends no metrics: "
                        + "absent(flink_jobmanager_job_runningState{job_name=\"" + job + "\"})");
            }
        }
        return complaints;
    }
}
