package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;

/**
 * Every metric an alert rule or the dashboard queries exists: either the jobs register it (read
 * from their sources) or it is one of Flink's own, listed with its documentation in
 * flink-builtin-metrics.txt. A typo, or a metric renamed in the code, fails the build instead of
 * leaving an alert that can never fire.
 */
final class MetricNamesCheck {
    private static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_:]+");
    /**
     * KafkaSource opens its deserialization schema with the reader's metric group plus this group
     * (flink-connector-kafka 5.0, KafkaSource#createReader), so the sources' counters live under it.
     */
    static final String KAFKA_DESERIALIZER_GROUP = "deserializer";

    private final Set<String> known;

    MetricNamesCheck(Set<String> registered, Set<String> builtins) {
        this.known = new TreeSet<>(builtins);
        String operatorScope = operatorScope();
        for (String name : registered) {
            known.add(operatorScope + name);
            known.add(operatorScope + KAFKA_DESERIALIZER_GROUP + "_" + name);
        }
    }

    /** With the jobs' metrics from their sources and the committed list of Flink's own. */
    static MetricNamesCheck fromCode() {
        return new MetricNamesCheck(RegisteredMetrics.scan(DeployModule.STREAMING_JOBS_SOURCES),
                builtins(DeployModule.FLINK_BUILTIN_METRICS));
    }

    /**
     * Where user metrics of an operator appear with the Prometheus reporter, from Flink's own
     * metric groups: {@code flink_taskmanager_job_task_operator_}.
     */
    static String operatorScope() {
        CharacterFilter asIs = s -> s;
        return "flink_" + UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup().getLogicalScope(asIs, '_') + "_";
    }

    static Set<String> builtins(Path file) {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(file)) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> check(List<Manifest> manifests, JsonNode dashboard) {
        List<String> complaints = new ArrayList<>();
        for (Manifest rules : Manifests.ofKind(manifests, "PrometheusRule")) {
            for (JsonNode group : rules.doc().path("spec").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String name = rule.path("alert").asText(rule.path("record").asText());
                    complaints.addAll(unknown(rules.id() + ": rule " + name, rule.path("expr").asText()));
                }
            }
        }
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                complaints.addAll(unknown("dashboard panel '" + panel.path("title").asText() + "'",
                        target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            complaints.addAll(unknown("dashboard variable " + variable.path("name").asText(),
                    variable.path("query").asText()));
        }
        return complaints;
    }

    private List<String> unknown(String where, String expression) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expression);
        while (m.find()) {
            names.add(m.group());
        }
        return names.stream()
                .filter(n -> !known.contains(n))
                .map(n -> where + " uses " + n + ", which the jobs do not register and Flink does not provide")
                .toList();
    }

    static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }
}
