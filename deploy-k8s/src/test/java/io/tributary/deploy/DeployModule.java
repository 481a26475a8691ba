package io.tributary.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the module's files are. Tests run with the module directory as working directory (Maven's default). */
final class DeployModule {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path BASE = ROOT.resolve("base");
    static final Path OVERLAYS = ROOT.resolve("overlays");
    /** The environments, in the order prod's sizes must grow. */
    static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
    static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
    static final Path SCHEMA = ROOT.resolve("schema/flinkdeployment-v1beta1.schema.json");
    /** Strimzi's own CRDs of the kinds the manifests use (see the header of each for its release). */
    static final List<Path> STRIMZI_CRDS = List.of(ROOT.resolve("schema/strimzi/043-Crd-kafkatopic.yaml"),
            ROOT.resolve("schema/strimzi/044-Crd-kafkauser.yaml"));
    static final Path FLINK_BUILTIN_METRICS = ROOT.resolve("flink-builtin-metrics.txt");
    static final Path DASHBOARD = BASE.resolve("dashboards/tributary-pipeline.json");
    /** The jobs' sources, scanned for the metrics they register. */
    static final Path STREAMING_JOBS_SOURCES = ROOT.resolve("../streaming-jobs/src/main/java").normalize();

    static {
        if (!Files.isRegularFile(BASE.resolve("kustomization.yaml"))) {
            throw new IllegalStateException("Run the deploy-k8s tests from the module directory (found no base/ in "
                    + ROOT + ")");
        }
    }

    private DeployModule() {}

    static Path overlay(String environment) {
        return OVERLAYS.resolve(environment);
    }
}
