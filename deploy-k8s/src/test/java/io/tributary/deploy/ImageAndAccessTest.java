package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Dockerfile, RBAC and NetworkPolicies. */
class ImageAndAccessTest {
    private static final String ID = "FlinkDeployment/transactions-enrichment";

    @Test
    void theImageIsTheJobsFlinkWithTheJarWhereTheDeploymentsLook() throws Exception {
        assertThat(DockerfileCheck.expectedBase()).isEqualTo("flink:2.1.1-java17");
        assertThat(DockerfileCheck.check(dockerfile(), RealManifests.base())).isEmpty();
    }

    @Test
    void aWrongBaseImageJarPathOrRootUserIsFound() throws Exception {
        String broken = dockerfile().replace("FROM flink:2.1.1-java17", "FROM flink:2.1.0-java11")
                .replace("/opt/flink/usrlib/tributary-job.jar\n", "/opt/flink/usrlib/job.jar\n")
                .replace("USER 9999:9999", "USER root");
        String copied = " is not a file the Dockerfile copies [/opt/flink/usrlib/job.jar, "
                + "/opt/flink/usrlib/iceberg-aws-bundle.jar]";
        assertThat(DockerfileCheck.check(broken, RealManifests.base())).containsExactly(
                "Dockerfile: FROM flink:2.1.0-java11, the jobs need flink:2.1.1-java17",
                ID + ": jarURI local:///opt/flink/usrlib/tributary-job.jar" + copied,
                "FlinkDeployment/fraud-detection: jarURI local:///opt/flink/usrlib/tributary-job.jar" + copied,
                "FlinkDeployment/live-metrics: jarURI local:///opt/flink/usrlib/tributary-job.jar" + copied,
                "FlinkDeployment/warehouse-sink: jarURI local:///opt/flink/usrlib/tributary-job.jar" + copied,
                "Dockerfile: the image must end with a numeric non-root USER, not root");
    }

    @Test
    void extraRightsAndAnUnboundAccountAreFound() {
        var broken = RealManifests.baseWith("Role", r -> {
            ObjectNode rule = ((ArrayNode) r.path("rules")).addObject();
            rule.putArray("apiGroups").add("");
            rule.putArray("resources").add("secrets");
            rule.putArray("verbs").add("get");
        });
        assertThat(RbacCheck.check(broken)).containsExactly(
                "Role/flink-jobmanager grants get on secrets to transactions-enrichment-jobmanager, which a JobManager"
                        + " does not need",
                "Role/flink-jobmanager grants get on secrets to fraud-detection-jobmanager, which a JobManager does not need",
                "Role/flink-jobmanager grants get on secrets to live-metrics-jobmanager, which a JobManager does not need",
                "Role/flink-jobmanager grants get on secrets to warehouse-sink-jobmanager, which a JobManager does not need");

        var unbound = RealManifests.with(RealManifests.base(), "RoleBinding",
                b -> ((ObjectNode) b.path("subjects").get(0)).put("namespace", "kube-system"));
        assertThat(RbacCheck.check(unbound)).containsExactly(
                ID + ": ServiceAccount transactions-enrichment-jobmanager is bound to no Role in its namespace");
    }

    @Test
    void onlyAJobManagersAccountMayCreatePods() {
        var broken = RealManifests.with(RealManifests.base(), "RoleBinding", b -> ((ArrayNode) b.path("subjects"))
                .addObject().put("kind", "ServiceAccount").put("name", "tributary-warehouse-batch")
                .put("namespace", "default"));
        List<String> complaints = RbacCheck.check(broken);
        assertThat(complaints).contains("Role/flink-jobmanager grants create on pods to tributary-warehouse-batch, which"
                + " runs no JobManager or TaskManager and needs no right");
        assertThat(complaints).allMatch(c -> c.contains("to tributary-warehouse-batch, which"));
    }

    @Test
    void aTaskManagersAccountMayOnlyReadConfigMaps() {
        List<Manifest> broken = RealManifests.base().stream().map(m -> {
            if (!m.id().equals("Role/flink-taskmanager")) {
                return m;
            }
            Manifest copy = m.copy();
            ObjectNode rule = ((ArrayNode) copy.doc().path("rules")).addObject();
            rule.putArray("apiGroups").add("");
            rule.putArray("resources").add("pods");
            rule.putArray("verbs").add("create");
            return copy;
        }).toList();
        assertThat(RbacCheck.check(broken)).containsExactly(
                "Role/flink-taskmanager grants create on pods to transactions-enrichment-taskmanager, which a TaskManager"
                        + " does not need",
                "Role/flink-taskmanager grants create on pods to fraud-detection-taskmanager, which a TaskManager does"
                        + " not need",
                "Role/flink-taskmanager grants create on pods to live-metrics-taskmanager, which a TaskManager does not"
                        + " need",
                "Role/flink-taskmanager grants create on pods to warehouse-sink-taskmanager, which a TaskManager does not"
                        + " need");
    }

    @Test
    void theNamespaceDeniesByDefault() {
        assertThat(NetworkPolicyCheck.check(RealManifests.base())).isEmpty();
        List<Manifest> withoutDefaultDeny = RealManifests.base().stream()
                .filter(m -> !m.id().equals("NetworkPolicy/default-deny"))
                .toList();
        assertThat(NetworkPolicyCheck.check(withoutDefaultDeny)).containsExactly(
                "no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
    }

    private static String dockerfile() throws Exception {
        return Files.readString(DeployModule.DOCKERFILE);
    }
}
