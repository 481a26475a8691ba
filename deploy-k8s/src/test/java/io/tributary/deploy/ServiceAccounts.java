package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods run under which ServiceAccount: a FlinkDeployment's JobManagers under
 * {@code spec.serviceAccount} (the operator sets {@code kubernetes.service-account}), its
 * TaskManagers under {@code kubernetes.taskmanager.service-account} when the flinkConfiguration sets
 * it, else the same account; a batch pod under its {@code serviceAccountName}, else "default".
 */
final class ServiceAccounts {
    static final String TASKMANAGER_ACCOUNT = "kubernetes.taskmanager.service-account";

    /** The pods of one workload that share an account: {@code who} names them in complaints. */
    record Pods(String who, String account, JsonNode podSpec) {}

    private ServiceAccounts() {}

    static String jobManager(FlinkDeploymentView d) {
        return d.spec().path("serviceAccount").asText("default");
    }

    static String taskManager(FlinkDeploymentView d) {
        return d.flinkConfiguration().getOrDefault(TASKMANAGER_ACCOUNT, jobManager(d));
    }

    /** Every kind of pod the manifests make, with its account. */
    static List<Pods> all(List<Manifest> manifests) {
        List<Pods> pods = new ArrayList<>();
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            pods.add(new Pods(d.id() + " JobManager", jobManager(d), d.spec().path("jobManager").path("podTemplate")
                    .path("spec")));
            pods.add(new Pods(d.id() + " TaskManager", taskManager(d), d.spec().path("taskManager").path("podTemplate")
                    .path("spec")));
        }
        for (Manifest m : manifests) {
            SecurityCheck.batchPod(m).ifPresent(template -> pods.add(new Pods(m.id(),
                    template.path("spec").path("serviceAccountName").asText("default"), template.path("spec"))));
        }
        return pods;
    }

    /** The ServiceAccounts defined, by name. */
    static Map<String, JsonNode> defined(List<Manifest> manifests) {
        Map<String, JsonNode> accounts = new LinkedHashMap<>();
        Manifests.ofKind(manifests, "ServiceAccount").forEach(a -> accounts.put(a.name(), a.doc()));
        return accounts;
    }

    /** Whether Kubernetes mounts the account's API token into these pods (the pod's setting wins). */
    static boolean mountsToken(Pods pods, Map<String, JsonNode> accounts) {
        JsonNode podSetting = pods.podSpec().path("automountServiceAccountToken");
        if (podSetting.isBoolean()) {
            return podSetting.asBoolean();
        }
        return accounts.getOrDefault(pods.account(), com.fasterxml.jackson.databind.node.MissingNode.getInstance())
                .path("automountServiceAccountToken").asBoolean(true);
    }
}
