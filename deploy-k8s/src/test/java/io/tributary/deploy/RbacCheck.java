package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each account holds exactly what its pods need, in their own namespace: a JobManager's what the
 * operator-run JobManager needs in native mode with Kubernetes HA (its TaskManager pods, the HA
 * ConfigMaps), a TaskManager's only the reading of those ConfigMaps (the leader's address). No other
 * account is bound to anything, so only a JobManager's account may create pods.
 */
final class RbacCheck {
    /** Resource (with API group) to the verbs the JobManager uses on it; see base/rbac.yaml for why. */
    static final Map<String, Set<String>> JOBMANAGER_NEEDS = Map.of(
            "pods", Set.of("get", "list", "watch", "create", "delete"),
            "configmaps", Set.of("get", "list", "watch", "create", "update", "patch", "delete"),
            "apps/deployments", Set.of("get"),
            "apps/deployments/finalizers", Set.of("update"));
    /** With Kubernetes HA a TaskManager watches the ConfigMaps that name the leaders (FLINK-20664). */
    static final Map<String, Set<String>> TASKMANAGER_NEEDS = Map.of("configmaps", Set.of("get", "list", "watch"));

    private RbacCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        Set<String> jobManagers = new HashSet<>();
        Set<String> taskManagers = new HashSet<>();
        FlinkDeploymentView.all(manifests).forEach(d -> {
            jobManagers.add(ServiceAccounts.jobManager(d));
            taskManagers.add(ServiceAccounts.taskManager(d));
        });
        for (Manifest binding : Manifests.ofKind(manifests, "RoleBinding")) {
            Optional<Manifest> role = role(manifests, binding);
            for (JsonNode subject : binding.doc().path("subjects")) {
                String account = subject.path("name").asText();
                String why = jobManagers.contains(account) ? "a JobManager does not need"
                        : taskManagers.contains(account) ? "a TaskManager does not need"
                        : "runs no JobManager or TaskManager and needs no right";
                Map<String, Set<String>> needs = jobManagers.contains(account) ? JOBMANAGER_NEEDS
                        : taskManagers.contains(account) ? TASKMANAGER_NEEDS : Map.of();
                role.ifPresent(r -> grants(r).forEach(grant -> {
                    if (!needs.getOrDefault(grant.resource(), Set.of()).contains(grant.verb())) {
                        complaints.add(r.id() + " grants " + grant.verb() + " on " + grant.resource() + " to "
                                + account + ", which " + why);
                    }
                }));
            }
        }
        if (!Manifests.ofKind(manifests, "ClusterRole").isEmpty() || !Manifests.ofKind(manifests, "ClusterRoleBinding").isEmpty()) {
            complaints.add("cluster-wide RBAC: the job's pods need rights in their own namespace only");
        }
        Set<String> bound = boundAccounts(manifests);
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            for (String account : new LinkedHashSet<>(List.of(ServiceAccounts.jobManager(d),
                    ServiceAccounts.taskManager(d)))) {
                if (Manifests.ofKind(manifests, "ServiceAccount").stream().noneMatch(a -> a.name().equals(account))) {
                    complaints.add(d.id() + ": ServiceAccount " + account + " is not defined");
                } else if (!bound.contains(account)) {
                    complaints.add(d.id() + ": ServiceAccount " + account + " is bound to no Role in its namespace");
                }
            }
        }
        return complaints;
    }

    /** One verb on one resource ({@code group/resource}, or the resource alone in the core group). */
    record Grant(String resource, String verb) {}

    static List<Grant> grants(Manifest role) {
        List<Grant> grants = new ArrayList<>();
        for (JsonNode rule : role.doc().path("rules")) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    String qualified = group.asText().isEmpty() ? resource.asText() : group.asText() + "/" + resource.asText();
                    rule.path("verbs").forEach(verb -> grants.add(new Grant(qualified, verb.asText())));
                }
            }
        }
        return grants;
    }

    /** The accounts that a RoleBinding in their own namespace binds to a Role. */
    static Set<String> boundAccounts(List<Manifest> manifests) {
        Set<String> bound = new HashSet<>();
        for (Manifest binding : Manifests.ofKind(manifests, "RoleBinding")) {
            String namespace = binding.doc().path("metadata").path("namespace").asText("default");
            if (!binding.doc().path("roleRef").path("kind").asText().equals("Role")) {
                continue;
            }
            for (JsonNode subject : binding.doc().path("subjects")) {
                if (subject.path("kind").asText().equals("ServiceAccount")
                        && subject.path("namespace").asText().equals(namespace)) {
                    bound.add(subject.path("name").asText());
                }
            }
        }
        return bound;
    }

    private static Optional<Manifest> role(List<Manifest> manifests, Manifest binding) {
        String name = binding.doc().path("roleRef").path("name").asText();
        return Manifests.ofKind(manifests, "Role").stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
