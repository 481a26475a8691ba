package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityCheckTest {
    private static final String ID = "FlinkDeployment/transactions-enrichment";

    @Test
    void anInlineSecretIsRefused() throws Exception {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> {
            ((ObjectNode) d.path("spec").path("flinkConfiguration")).put("s3.secret-key", "abc123");
            JobDeploymentsCheckTest.args(d).add("-Dtributary.kafka.client-properties=sasl.jaas.config:'"
                    + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";'");
            ObjectNode env = ((ArrayNode) container(d).path("env")).addObject();
            env.put("name", "TRIBUTARY_REGISTRY_PASSWORD").put("value", "hunter2");
        });
        List<Manifest> withSecret = new ArrayList<>(broken);
        withSecret.addAll(Manifests.parse("apiVersion: v1\nkind: Secret\nmetadata:\n  name: tributary-registry\n"
                + "stringData:\n  password: hunter2\n", "secret.yaml"));
        assertThat(SecurityCheck.check(withSecret)).containsExactly(
                "Secret/tributary-registry: Secrets are created out of band (README), never committed",
                ID + ": s3.secret-key has an inline value; take it from a Secret",
                ID + ": tributary.kafka.client-properties has an inline password; take it from a Secret",
                ID + ": podTemplate sets TRIBUTARY_REGISTRY_PASSWORD inline; take it from a Secret");
    }

    @Test
    void rootAWritableRootFilesystemAndCapabilitiesAreRefused() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> {
            ((ObjectNode) d.path("spec").path("podTemplate").path("spec").path("securityContext")).remove("runAsNonRoot");
            ObjectNode security = (ObjectNode) container(d).path("securityContext");
            security.put("readOnlyRootFilesystem", false);
            ((ObjectNode) security.path("capabilities")).putArray("add").add("NET_ADMIN");
            ObjectNode taskManager = (ObjectNode) d.path("spec").path("taskManager");
            taskManager.putObject("podTemplate").putObject("spec").putObject("securityContext").put("runAsUser", 0);
        });
        assertThat(SecurityCheck.check(broken)).containsExactly(
                ID + ": podTemplate must set securityContext.runAsNonRoot: true",
                ID + ": podTemplate container flink-main-container must set readOnlyRootFilesystem: true",
                ID + ": podTemplate container flink-main-container adds privileges",
                ID + ": taskManager.podTemplate runs as root");
    }

    @Test
    void flinksWritableDirectoriesMustBeVolumes() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> ((ArrayNode) container(d).path("volumeMounts")).remove(1));
        assertThat(SecurityCheck.check(broken)).containsExactly(ID
                + ": flink-main-container needs an emptyDir at /opt/flink/log (the root filesystem is read-only)");
    }

    @Test
    void imagesArePinnedAndResourcesLimited() {
        var broken = RealManifests.baseWith("FlinkDeployment", d -> {
            ((ObjectNode) d.path("spec")).put("image", "tributary-job:latest");
            ((ObjectNode) d.path("spec").path("taskManager").path("resource")).remove("memory");
            ((ArrayNode) d.path("spec").path("podTemplate").path("spec").path("containers")).addObject()
                    .put("name", "log-shipper").put("image", "fluent-bit")
                    .putObject("securityContext").put("readOnlyRootFilesystem", true)
                    .put("allowPrivilegeEscalation", false).putObject("capabilities").putArray("drop").add("ALL");
        });
        assertThat(SecurityCheck.check(broken)).containsExactly(
                ID + ": image tributary-job:latest uses the tag latest",
                ID + ": image fluent-bit has no tag",
                ID + ": taskManager.resource.memory is not set",
                ID + ": podTemplate container log-shipper has no cpu and memory limits");
    }

    @Test
    void theWarehouseCommandsPodsAreLockedDownLikeTheJobs() {
        var broken = RealManifests.baseWith("CronJob", c -> {
            ObjectNode pod = (ObjectNode) c.at("/spec/jobTemplate/spec/template/spec");
            ((ObjectNode) pod.path("securityContext")).remove("runAsNonRoot");
            ObjectNode container = (ObjectNode) pod.path("containers").get(0);
            ((ObjectNode) container.path("securityContext")).put("allowPrivilegeEscalation", true);
            ((ObjectNode) container.path("resources")).remove("limits");
            container.withArrayProperty("env").addObject().put("name", "AWS_SECRET_ACCESS_KEY").put("value", "abc");
        });
        String id = "CronJob/warehouse-expire-snapshots";
        assertThat(SecurityCheck.check(broken)).containsExactly(
                id + ": pod template must set securityContext.runAsNonRoot: true",
                id + ": pod template container tributary must set allowPrivilegeEscalation: false",
                id + ": container tributary sets AWS_SECRET_ACCESS_KEY inline; take it from a Secret",
                id + ": container tributary has no cpu and memory limits");
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.path("spec").path("podTemplate").path("spec").path("containers").get(0);
    }
}
