package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What can be said of an overlay without rendering it (so also where kubectl is missing): it builds
 * on the base, so it deploys every job the base does; it points the alerts and the dashboard at its
 * namespace; it has its own namespace; and it pins the job image's tag.
 */
final class OverlayCheck {
    static final String JOB_IMAGE = "tributary-job";
    static final String MONITORING_COMPONENT = "../../components/namespaced-monitoring";

    private OverlayCheck() {}

    static List<String> check(Path overlay) {
        String name = "overlays/" + overlay.getFileName();
        if (!Files.isRegularFile(overlay.resolve("kustomization.yaml"))) {
            return List.of(name + " has no kustomization.yaml");
        }
        JsonNode kustomization = Manifests.load(overlay.resolve("kustomization.yaml")).get(0).doc();
        List<String> complaints = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        if (!resources.contains("../../base")) {
            complaints.add(name + " does not build on ../../base, so it would not deploy every job");
        }
        List<String> components = new ArrayList<>();
        kustomization.path("components").forEach(c -> components.add(c.asText()));
        if (!components.contains(MONITORING_COMPONENT)) {
            complaints.add(name + " does not include " + MONITORING_COMPONENT
                    + ", so its alerts and dashboard would not filter its namespace");
        }
        if (kustomization.path("namespace").asText().isEmpty()) {
            complaints.add(name + " sets no namespace");
        }
        JsonNode image = null;
        for (JsonNode entry : kustomization.path("images")) {
            if (entry.path("name").asText().equals(JOB_IMAGE)) {
                image = entry;
            }
        }
        String tag = image == null ? "" : image.path("newTag").asText();
        if (tag.isEmpty() || tag.equals("latest")) {
            complaints.add(name + " must pin the " + JOB_IMAGE + " image with images[].newTag (not latest)");
        }
        return complaints;
    }
}
