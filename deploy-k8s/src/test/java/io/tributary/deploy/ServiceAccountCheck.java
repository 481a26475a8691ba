package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each kind of pod runs under an account of its own, so that no pod holds rights another needs: a
 * job's JobManagers, its TaskManagers (which see every record, the DLQ's clear card numbers among them,
 * and must not be able to create pods), and the warehouse commands each have theirs, never the
 * namespace's default one. A pod whose account is bound to no Role calls no API and gets no token.
 */
final class ServiceAccountCheck {
    /** What a group of pods sharing an account may be: one job's JobManagers or TaskManagers, or the batch pods. */
    private static final String BATCH = "the warehouse commands";

    private ServiceAccountCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        Map<String, JsonNode> accounts = ServiceAccounts.defined(manifests);
        Set<String> bound = RbacCheck.boundAccounts(manifests);
        Map<String, Set<String>> users = new LinkedHashMap<>();
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            if (ServiceAccounts.jobManager(d).equals(ServiceAccounts.taskManager(d))) {
                complaints.add(d.id() + ": TaskManagers run under the JobManager's account "
                        + ServiceAccounts.jobManager(d) + ", and with it may create pods; set "
                        + ServiceAccounts.TASKMANAGER_ACCOUNT + " to their own");
            }
        }
        for (ServiceAccounts.Pods pods : ServiceAccounts.all(manifests)) {
            String owner = pods.who().endsWith("Manager") ? pods.who() : BATCH;
            users.computeIfAbsent(pods.account(), a -> new LinkedHashSet<>()).add(owner);
            if (!accounts.containsKey(pods.account())) {
                complaints.add(pods.who() + ": runs under ServiceAccount " + pods.account()
                        + ", which the manifests do not define");
            } else if (!bound.contains(pods.account()) && ServiceAccounts.mountsToken(pods, accounts)) {
                complaints.add(pods.who() + ": mounts the API token of " + pods.account()
                        + ", which is bound to no Role; set automountServiceAccountToken: false");
            }
        }
        users.forEach((account, owners) -> {
            if (owners.size() > 1) {
                complaints.add("ServiceAccount " + account + " is shared by " + String.join(", ", owners));
            }
        });
        return complaints;
    }
}
