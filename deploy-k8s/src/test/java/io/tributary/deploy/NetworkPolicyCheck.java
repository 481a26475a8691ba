package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The namespace denies all traffic by default, so that each allowed flow is a written policy. */
final class NetworkPolicyCheck {
    private NetworkPolicyCheck() {}

    static List<String> check(List<Manifest> manifests) {
        boolean denyAll = Manifests.ofKind(manifests, "NetworkPolicy").stream().map(Manifest::doc).anyMatch(p -> {
            JsonNode spec = p.path("spec");
            String types = spec.path("policyTypes").toString();
            return spec.path("podSelector").isEmpty() && types.contains("\"Ingress\"") && types.contains("\"Egress\"")
                    && !spec.has("ingress") && !spec.has("egress");
        });
        return denyAll ? List.of()
                : List.of("no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
    }
}
