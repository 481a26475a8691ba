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
                "Role/tributary-flink grants get on secrets, which the JobManager does not need");

        var unbound = RealManifests.with(RealManifests.base(), "RoleBinding",
                b -> ((ObjectNode) b.path("subjects").get(0)).put("namespace", "kube-system"));
        assertThat(RbacCheck.check(unbound)).containsExactly(
                ID + ": ServiceAccount tributary-flink is bound to no Role in its namespace",
                "FlinkDeployment/fraud-detection: ServiceAccount tributary-flink is bound to no Role in its namespace",
                "FlinkDeployment/live-metrics: ServiceAccount tributary-flink is bound to no Role in its namespace",
                "FlinkDeployment/warehouse-sink: ServiceAccount tributary-flink is bound to no Role in its namespace");
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
