package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The namespace denies all traffic by default, so that each allowed flow is a written policy; no
 * rule opens a whole address range (0.0.0.0/0, ::/0) or every peer; and the policies of a job's pods
 * admit, among the namespace's pods, only that job's own: one job cannot reach another's JobManager
 * or TaskManagers, nor be reached by them.
 */
final class NetworkPolicyCheck {
    /** The labels native mode puts on a job's pods (its cluster id is the FlinkDeployment's name). */
    static Map<String, String> podLabels(String job, String component) {
        return Map.of("app", job, "component", component, "type", "flink-native-kubernetes");
    }

    private NetworkPolicyCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        List<Manifest> policies = Manifests.ofKind(manifests, "NetworkPolicy");
        boolean denyAll = policies.stream().map(Manifest::doc).anyMatch(p -> {
            JsonNode spec = p.path("spec");
            String types = spec.path("policyTypes").toString();
            return spec.path("podSelector").isEmpty() && types.contains("\"Ingress\"") && types.contains("\"Egress\"")
                    && !spec.has("ingress") && !spec.has("egress");
        });
        if (!denyAll) {
            complaints.add("no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
        }
        for (Manifest policy : policies) {
            complaints.addAll(openRules(policy, "egress", "to"));
            complaints.addAll(openRules(policy, "ingress", "from"));
        }
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            for (String component : List.of("jobmanager", "taskmanager")) {
                Map<String, String> labels = podLabels(d.name(), component);
                for (Manifest policy : policies) {
                    if (selects(policy.doc().path("spec").path("podSelector"), labels)) {
                        complaints.addAll(foreignPods(policy, d.name(), component));
                    }
                }
            }
        }
        return complaints;
    }

    /** Rules that admit every peer, or a whole address family. */
    private static List<String> openRules(Manifest policy, String direction, String peers) {
        List<String> complaints = new ArrayList<>();
        for (JsonNode rule : policy.doc().path("spec").path(direction)) {
            if (!rule.has(peers) || rule.path(peers).isEmpty()) {
                complaints.add(policy.id() + ": an " + direction + " rule without '" + peers + "' admits every address");
            }
            for (JsonNode peer : rule.path(peers)) {
                String cidr = peer.path("ipBlock").path("cidr").asText("");
                if (cidr.endsWith("/0")) {
                    complaints.add(policy.id() + ": " + direction + " " + peers + " " + cidr
                            + " admits every address; name the endpoints' own addresses");
                }
            }
        }
        return complaints;
    }

    /** Peers within the namespace (a podSelector alone) that are not pods of the same job. */
    private static List<String> foreignPods(Manifest policy, String job, String component) {
        List<String> complaints = new ArrayList<>();
        for (String[] direction : List.of(new String[] {"ingress", "from"}, new String[] {"egress", "to"})) {
            for (JsonNode rule : policy.doc().path("spec").path(direction[0])) {
                for (JsonNode peer : rule.path(direction[1])) {
                    if (peer.has("podSelector") && !peer.has("namespaceSelector")
                            && !job.equals(peer.path("podSelector").path("matchLabels").path("app").asText(null))) {
                        complaints.add(policy.id() + ": " + direction[0] + " of " + job + "'s " + component
                                + " pods " + direction[1] + " " + peer.path("podSelector")
                                + ", not only its own pods (app=" + job + ")");
                    }
                }
            }
        }
        return complaints;
    }

    /** Whether a podSelector's matchLabels (no expressions here) select pods with {@code labels}. */
    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector.has("matchExpressions")) {
            return true;
        }
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
