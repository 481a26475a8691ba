package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OverlaysTest {

    @Test
    void theEnvironmentsAreTheOverlays() throws Exception {
        try (var overlays = Files.list(DeployModule.OVERLAYS)) {
            assertThat(overlays.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(DeployModule.ENVIRONMENTS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging", "prod"})
    void everyOverlayBuildsOnTheBaseAndMonitorsItsNamespaceWithAPinnedImage(String environment) {
        assertThat(OverlayCheck.check(DeployModule.overlay(environment))).isEmpty();
    }

    @Test
    void anOverlayThatDropsTheBaseOrTheMonitoringComponentOrPinsNothingIsFound(@TempDir Path dir) throws Exception {
        Path overlay = dir.resolve("qa");
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"),
                Files.readString(DeployModule.overlay("dev").resolve("kustomization.yaml"))
                        .replace("  - ../../base\n", "")
                        .replace("  - ../../components/namespaced-monitoring\n", "")
                        .replace("newTag: 0.1.0", "newTag: latest"));
        assertThat(OverlayCheck.check(overlay)).containsExactly(
                "overlays/qa does not build on ../../base, so it would not deploy every job",
                "overlays/qa does not include ../../components/namespaced-monitoring, so its alerts and dashboard would "
                        + "not filter its namespace",
                "overlays/qa must pin the tributary-job image with images[].newTag (not latest)");
    }

    @Test
    void prodIsSizedAboveDev() {
        assertThat(ScalingCheck.check(RealManifests.rendered("dev"), RealManifests.rendered("prod"))).isEmpty();
    }

    @Test
    void aProdNoLargerThanDevIsFound() {
        var dev = RealManifests.base();
        var prod = RealManifests.baseWithEach("FlinkDeployment",
                d -> ((ObjectNode) d.path("spec").path("job")).put("parallelism", 2));
        assertThat(ScalingCheck.check(dev, prod)).containsExactly(
                "FlinkDeployment/transactions-enrichment: prod parallelism 2 is not above dev's 2",
                "FlinkDeployment/transactions-enrichment: prod JobManager replicas 1 are not above dev's 1",
                "FlinkDeployment/fraud-detection: prod parallelism 2 is not above dev's 2",
                "FlinkDeployment/fraud-detection: prod JobManager replicas 1 are not above dev's 1",
                "FlinkDeployment/live-metrics: prod parallelism 2 is not above dev's 2",
                "FlinkDeployment/live-metrics: prod JobManager replicas 1 are not above dev's 1",
                "FlinkDeployment/warehouse-sink: prod parallelism 2 is not above dev's 2",
                "FlinkDeployment/warehouse-sink: prod JobManager replicas 1 are not above dev's 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging", "prod"})
    void everyRenderedOverlayShipsTheDashboard(String environment) {
        assertThat(RealManifests.rendered(environment)).anyMatch(m -> m.id().equals("ConfigMap/tributary-grafana-dashboard"));
    }
}
