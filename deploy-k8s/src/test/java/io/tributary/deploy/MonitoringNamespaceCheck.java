package io.tributary.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In a rendered overlay, every metric selector of the alert rules and of the Grafana dashboards
 * filters the overlay's namespace. Prometheus evaluates every environment's rules over every
 * environment's metrics: without the filter, dev's rules fire for prod's jobs, and prod's
 * {@code absent(...)} is silenced by dev's metrics. The dashboard's {@code $namespace} must be a
 * constant, the overlay's namespace, for the same reason.
 */
final class MonitoringNamespaceCheck {
    /** A metric and its matchers, if any: {@code flink_x{a="b", c!="d"}}. */
    private static final Pattern SELECTOR = Pattern.compile("\\bflink_[A-Za-z0-9_:]+(\\{[^}]*})?");
    /** What the dashboard's queries filter with; the check requires the variable to be the namespace. */
    static final String DASHBOARD_FILTER = "$namespace";
    static final String DASHBOARD_LABEL = "grafana_dashboard";

    private MonitoringNamespaceCheck() {}

    static List<String> check(List<Manifest> rendered) {
        List<Manifest> namespaces = Manifests.ofKind(rendered, "Namespace");
        if (namespaces.size() != 1) {
            return List.of("the overlay must create exactly one Namespace, its own; it creates " + namespaces.size());
        }
        String namespace = namespaces.get(0).name();
        List<String> complaints = new ArrayList<>();
        for (Manifest rules : Manifests.ofKind(rendered, "PrometheusRule")) {
            for (JsonNode group : rules.doc().path("spec").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String name = rules.id() + ": rule " + rule.path("alert").asText(rule.path("record").asText());
                    complaints.addAll(unfiltered(name, rule.path("expr").asText(), namespace));
                }
            }
        }
        dashboards(rendered).forEach(d -> complaints.addAll(dashboard(d.where(), d.json(), namespace)));
        return complaints;
    }

    /** A dashboard as Grafana's sidecar finds it: a file (key) of a labelled ConfigMap. */
    record Dashboard(Manifest configMap, String file, JsonNode json) {
        String where() {
            return configMap.id() + " " + file;
        }
    }

    /** The dashboards a rendered overlay ships to Grafana. */
    static List<Dashboard> dashboards(List<Manifest> rendered) {
        List<Dashboard> dashboards = new ArrayList<>();
        for (Manifest map : Manifests.ofKind(rendered, "ConfigMap")) {
            if (map.doc().path("metadata").path("labels").has(DASHBOARD_LABEL)) {
                map.doc().path("data").properties().forEach(file -> {
                    try {
                        dashboards.add(new Dashboard(map, file.getKey(), Manifests.JSON.readTree(file.getValue().asText())));
                    } catch (JsonProcessingException e) {
                        throw new IllegalArgumentException(map.id() + " " + file.getKey() + " is not JSON: "
                                + e.getOriginalMessage(), e);
                    }
                });
            }
        }
        return dashboards;
    }

    private static List<String> dashboard(String where, JsonNode dashboard, String namespace) {
        List<String> complaints = new ArrayList<>();
        JsonNode variable = null;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals("namespace")) {
                variable = v;
            }
        }
        if (variable == null || !variable.path("type").asText().equals("constant")
                || !variable.path("query").asText().equals(namespace)) {
            complaints.add(where + ": the variable namespace must be the constant " + namespace);
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            complaints.addAll(unfiltered(where + " variable " + v.path("name").asText(), v.path("query").asText(),
                    DASHBOARD_FILTER));
        }
        List<JsonNode> panels = new ArrayList<>();
        MetricNamesCheck.collectPanels(dashboard.path("panels"), panels);
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                complaints.addAll(unfiltered(where + " panel '" + panel.path("title").asText() + "'",
                        target.path("expr").asText(), DASHBOARD_FILTER));
            }
        }
        return complaints;
    }

    /** The selectors of {@code expression} that do not match exactly {@code namespace="<value>"}. */
    static List<String> unfiltered(String where, String expression, String value) {
        Pattern filter = Pattern.compile("[{,]\\s*namespace\\s*=\\s*\"" + Pattern.quote(value) + "\"\\s*[,}]");
        List<String> complaints = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(expression);
        while (selector.find()) {
            if (selector.group(1) == null || !filter.matcher(selector.group(1)).find()) {
                complaints.add(where + ": " + selector.group() + " does not filter namespace=\"" + value + "\"");
            }
        }
        return complaints;
    }
}
