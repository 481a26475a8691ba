package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pods' ServiceAccount exists, is bound, and its Role grants no more than the operator-run
 * JobManager needs in native mode with Kubernetes HA.
 */
final class RbacCheck {
    /** Resource (with API group) to the verbs the JobManager uses on it; see base/rbac.yaml for why. */
    static final Map<String, Set<String>> NEEDED = Map.of(
            "pods", Set.of("get", "list", "watch", "create", "delete"),
            "configmaps", Set.of("get", "list", "watch", "create", "update", "patch", "delete"),
            "apps/deployments", Set.of("get"),
            "apps/deployments/finalizers", Set.of("update"));

    private RbacCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        for (Manifest role : Manifests.ofKind(manifests, "Role")) {
            for (JsonNode rule : role.doc().path("rules")) {
                for (JsonNode group : rule.path("apiGroups")) {
                    for (JsonNode resource : rule.path("resources")) {
                        String qualified = group.asText().isEmpty() ? resource.asText() : group.asText() + "/" + resource.asText();
                        for (JsonNode verb : rule.path("verbs")) {
                            if (!NEEDED.getOrDefault(qualified, Set.of()).contains(verb.asText())) {
                                complaints.add(role.id() + " grants " + verb.asText() + " on " + qualified
                                        + ", which the JobManager does not need");
                            }
                        }
                    }
                }
            }
        }
        if (!Manifests.ofKind(manifests, "ClusterRole").isEmpty() || !Manifests.ofKind(manifests, "ClusterRoleBinding").isEmpty()) {
            complaints.add("cluster-wide RBAC: the job's pods need rights in their own namespace only");
        }
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            String account = d.spec().path("serviceAccount").asText();
            if (Manifests.ofKind(manifests, "ServiceAccount").stream().noneMatch(a -> a.name().equals(account))) {
                complaints.add(d.id() + ": ServiceAccount " + account + " is not defined");
            } else if (!bound(manifests, account)) {
                complaints.add(d.id() + ": ServiceAccount " + account + " is bound to no Role in its namespace");
            }
        }
        return complaints;
    }

    private static boolean bound(List<Manifest> manifests, String account) {
        for (Manifest binding : Manifests.ofKind(manifests, "RoleBinding")) {
            String namespace = binding.doc().path("metadata").path("namespace").asText("default");
            for (JsonNode subject : binding.doc().path("subjects")) {
                if (subject.path("kind").asText().equals("ServiceAccount") && subject.path("name").asText().equals(account)
                        && subject.path("namespace").asText().equals(namespace)
                        && binding.doc().path("roleRef").path("kind").asText().equals("Role")) {
                    return true;
                }
            }
        }
        return false;
    }
}
