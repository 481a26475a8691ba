package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parts of a FlinkDeployment that the checks read. */
record FlinkDeploymentView(Manifest manifest) {
    static final String MAIN_CONTAINER = "flink-main-container";

    static List<FlinkDeploymentView> all(List<Manifest> manifests) {
        return Manifests.ofKind(manifests, "FlinkDeployment").stream().map(FlinkDeploymentView::new).toList();
    }

    String id() {
        return manifest.id();
    }

    String name() {
        return manifest.name();
    }

    JsonNode spec() {
        return manifest.doc().path("spec");
    }

    JsonNode job() {
        return spec().path("job");
    }

    List<String> args() {
        List<String> args = new ArrayList<>();
        job().path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    Map<String, String> flinkConfiguration() {
        Map<String, String> configuration = new LinkedHashMap<>();
        spec().path("flinkConfiguration").properties().forEach(e -> configuration.put(e.getKey(), e.getValue().asText()));
        return configuration;
    }

    int parallelism() {
        return job().path("parallelism").asInt(1);
    }

    int jobManagerReplicas() {
        return spec().path("jobManager").path("replicas").asInt(1);
    }

    /** The pod templates: the shared one, then the JobManager's and TaskManager's, where present. */
    Map<String, JsonNode> podTemplates() {
        Map<String, JsonNode> templates = new LinkedHashMap<>();
        templates.put("podTemplate", spec().path("podTemplate"));
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode template = spec().path(role).path("podTemplate");
            if (!template.isMissingNode()) {
                templates.put(role + ".podTemplate", template);
            }
        }
        return templates;
    }

    /** The main container of the shared pod template, which the operator merges into both roles. */
    Optional<JsonNode> mainContainer() {
        for (JsonNode container : spec().path("podTemplate").path("spec").path("containers")) {
            if (container.path("name").asText().equals(MAIN_CONTAINER)) {
                return Optional.of(container);
            }
        }
        return Optional.empty();
    }

    /**
     * The directories where the main container mounts a Secret volume, with the Secret's name: what a
     * file setting must lie under to come from a Secret.
     */
    Map<String, String> secretMounts() {
        Map<String, String> volumes = new LinkedHashMap<>();
        spec().path("podTemplate").path("spec").path("volumes").forEach(v -> {
            if (v.path("secret").has("secretName")) {
                volumes.put(v.path("name").asText(), v.path("secret").path("secretName").asText());
            }
        });
        Map<String, String> mounts = new LinkedHashMap<>();
        mainContainer().ifPresent(c -> c.path("volumeMounts").forEach(m -> {
            String secret = volumes.get(m.path("name").asText());
            if (secret != null) {
                mounts.put(m.path("mountPath").asText(), secret);
            }
        }));
        return mounts;
    }

    /** The Secret mounted at the directory that holds {@code file}, if one is. */
    Optional<String> secretHolding(String file) {
        return secretMounts().entrySet().stream()
                .filter(m -> file.startsWith(m.getKey().endsWith("/") ? m.getKey() : m.getKey() + "/"))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Environment variables of the main container that come from a Secret, with their Secret. */
    Map<String, JsonNode> secretEnvironment() {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        mainContainer().ifPresent(c -> c.path("env").forEach(e -> {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                env.put(e.path("name").asText(), ref);
            }
        }));
        return env;
    }
}
