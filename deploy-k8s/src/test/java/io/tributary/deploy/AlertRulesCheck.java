package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.jobs.common.KafkaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.util.TimeUtils;

/**
 * Every alert names a runbook that exists, and every job has an alert for when it sends no metrics
 * at all (a dead JobManager silences every other rule); an alert pages before a Kafka transaction
 * can expire.
 */
final class AlertRulesCheck {
    /** No completed checkpoint within a window: {@code increase(...numberOfCompletedCheckpoints{...}[7m])) == 0}. */
    private static final Pattern NO_CHECKPOINT = Pattern.compile(
            "increase\\(flink_jobmanager_job_numberOfCompletedCheckpoints\\{[^}]*}\\[(\\d+[smh])]\\)\\)?\\s*==\\s*0");

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
        complaints.addAll(transactionExpiry(manifests));
        return complaints;
    }

    /**
     * A critical alert fires when no checkpoint completed for half the shortest transaction timeout of
     * the deployed jobs that write Kafka: the oldest open transaction is then at least that old, and
     * the broker aborts it, losing its records, at the full timeout.
     */
    private static List<String> transactionExpiry(List<Manifest> manifests) {
        Duration shortest = DeployedJob.resolvable(manifests).stream()
                .filter(j -> j.footprint().transactionalIdPrefix() != null)
                .map(j -> j.configuration().get(KafkaOptions.TRANSACTION_TIMEOUT))
                .min(Comparator.naturalOrder())
                .orElse(null);
        if (shortest == null) {
            return List.of();
        }
        Duration half = shortest.dividedBy(2);
        for (Manifest rules : Manifests.ofKind(manifests, "PrometheusRule")) {
            for (JsonNode rule : rules.doc().path("spec").findParents("expr")) {
                Matcher quiet = NO_CHECKPOINT.matcher(rule.path("expr").asText());
                if (rule.has("alert") && "critical".equals(rule.path("labels").path("severity").asText())
                        && quiet.find() && prometheusDuration(quiet.group(1)).compareTo(half) <= 0) {
                    return List.of();
                }
            }
        }
        return List.of("no critical alert fires when a job writing Kafka transactions completes no checkpoint for "
                + TimeUtils.formatWithHighestUnit(half) + ", half its shortest " + KafkaOptions.TRANSACTION_TIMEOUT.key()
                + " (" + TimeUtils.formatWithHighestUnit(shortest) + "): increase("
                + "flink_jobmanager_job_numberOfCompletedCheckpoints{...}[" + half.toMinutes() + "m]) == 0");
    }

    private static Duration prometheusDuration(String d) {
        long amount = Long.parseLong(d.substring(0, d.length() - 1));
        return switch (d.charAt(d.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
