package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.state.JobConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Invariants of every manifest: no secret value inline (Secrets are made out of band, values come
 * by reference), pods that run as non-root with a read-only root filesystem and no capabilities,
 * the writable directories Flink needs as emptyDirs, pinned image tags and resource limits. The
 * pods of CronJobs and Jobs (the warehouse commands) are held to the same rules as the jobs' pods.
 */
final class SecurityCheck {
    /** A JAAS or URL password written out rather than taken from a config provider. */
    private static final Pattern INLINE_PASSWORD = Pattern.compile("(?i)password\\s*=\\s*\"?(?!\\$\\{)[^\"\\s;]");
    private static final Pattern SECRET_VARIABLE = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|KEY|JAAS|CREDENTIAL).*");
    /** Flink writes its log here; with a read-only root filesystem it must be a volume. */
    static final String LOG_DIRECTORY = "/opt/flink/log";

    private SecurityCheck() {}

    static List<String> check(List<Manifest> manifests) {
        List<String> complaints = new ArrayList<>();
        for (Manifest m : manifests) {
            if (m.is("Secret")) {
                complaints.add(m.id() + ": Secrets are created out of band (README), never committed");
            }
            complaints.addAll(images(m, m.doc()));
            batchPod(m).ifPresent(pod -> complaints.addAll(lockedDown(m.id(), pod)));
        }
        for (FlinkDeploymentView d : FlinkDeploymentView.all(manifests)) {
            complaints.addAll(inlineSecrets(d));
            complaints.addAll(pods(d));
            complaints.addAll(resources(d));
        }
        return complaints;
    }

    private static List<String> inlineSecrets(FlinkDeploymentView d) {
        List<String> complaints = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>(d.flinkConfiguration());
        for (String arg : d.args()) {
            int equals = arg.indexOf('=');
            if (arg.startsWith("-D") && equals > 2) {
                settings.put(arg.substring(2, equals), arg.substring(equals + 1));
            }
        }
        settings.forEach((key, value) -> {
            if (InternalTlsCheck.PASSWORDS.contains(key)) {
                return; // the keystore's format password, which InternalTlsCheck holds to its Certificate
            }
            if (JobConfiguration.isSecret(key) && !value.startsWith("${")) {
                complaints.add(d.id() + ": " + key + " has an inline value; take it from a Secret");
            } else if (INLINE_PASSWORD.matcher(value).find()) {
                complaints.add(d.id() + ": " + key + " has an inline password; take it from a Secret");
            }
        });
        d.podTemplates().forEach((where, template) -> template.path("spec").path("containers").forEach(c ->
                c.path("env").forEach(e -> {
                    String name = e.path("name").asText();
                    if (e.has("value") && SECRET_VARIABLE.matcher(name).matches()) {
                        complaints.add(d.id() + ": " + where + " sets " + name + " inline; take it from a Secret");
                    }
                })));
        return complaints;
    }

    private static List<String> pods(FlinkDeploymentView d) {
        List<String> complaints = new ArrayList<>();
        d.podTemplates().forEach((where, template) -> {
            JsonNode pod = template.path("spec").path("securityContext");
            boolean shared = where.equals("podTemplate");
            if (shared && !pod.path("runAsNonRoot").asBoolean(false)) {
                complaints.add(d.id() + ": " + where + " must set securityContext.runAsNonRoot: true");
            }
            if ((pod.has("runAsNonRoot") && !pod.path("runAsNonRoot").asBoolean()) || pod.path("runAsUser").asInt(-1) == 0) {
                complaints.add(d.id() + ": " + where + " runs as root");
            }
            for (JsonNode container : template.path("spec").path("containers")) {
                complaints.addAll(container(d.id(), where, container, shared));
            }
            for (JsonNode container : template.path("spec").path("initContainers")) {
                complaints.addAll(container(d.id(), where, container, true));
            }
        });
        String tmp = d.flinkConfiguration().getOrDefault("io.tmp.dirs", "/tmp");
        for (String directory : List.of(tmp, LOG_DIRECTORY)) {
            if (!mountsEmptyDir(d, directory)) {
                complaints.add(d.id() + ": " + FlinkDeploymentView.MAIN_CONTAINER + " needs an emptyDir at " + directory
                        + " (the root filesystem is read-only)");
            }
        }
        return complaints;
    }

    /** A container's own settings; in a role's template, only what it sets (the rest comes from the shared one). */
    private static List<String> container(String id, String where, JsonNode container, boolean complete) {
        List<String> complaints = new ArrayList<>();
        String name = id + ": " + where + " container " + container.path("name").asText();
        JsonNode security = container.path("securityContext");
        if ((complete || security.has("readOnlyRootFilesystem")) && !security.path("readOnlyRootFilesystem").asBoolean(false)) {
            complaints.add(name + " must set readOnlyRootFilesystem: true");
        }
        if ((complete || security.has("allowPrivilegeEscalation"))
                && security.path("allowPrivilegeEscalation").asBoolean(true)) {
            complaints.add(name + " must set allowPrivilegeEscalation: false");
        }
        boolean dropsAll = false;
        for (JsonNode capability : security.path("capabilities").path("drop")) {
            dropsAll |= capability.asText().equals("ALL");
        }
        if ((complete || security.has("capabilities")) && !dropsAll) {
            complaints.add(name + " must drop ALL capabilities");
        }
        if (security.path("capabilities").has("add") || security.path("privileged").asBoolean(false)) {
            complaints.add(name + " adds privileges");
        }
        return complaints;
    }

    /** The pod template of a CronJob or a Job. */
    static Optional<JsonNode> batchPod(Manifest m) {
        if (m.is("CronJob")) {
            return Optional.of(m.doc().path("spec").path("jobTemplate").path("spec").path("template"));
        }
        return m.is("Job") ? Optional.of(m.doc().path("spec").path("template")) : Optional.empty();
    }

    /** A batch pod has no operator to fill anything in: every container is complete, with limits. */
    private static List<String> lockedDown(String id, JsonNode template) {
        List<String> complaints = new ArrayList<>();
        JsonNode spec = template.path("spec");
        if (!spec.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
            complaints.add(id + ": pod template must set securityContext.runAsNonRoot: true");
        }
        if (spec.path("securityContext").path("runAsUser").asInt(-1) == 0) {
            complaints.add(id + ": pod template runs as root");
        }
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                String name = c.path("name").asText();
                complaints.addAll(container(id, "pod template", c, true));
                c.path("env").forEach(e -> {
                    if (e.has("value") && SECRET_VARIABLE.matcher(e.path("name").asText()).matches()) {
                        complaints.add(id + ": container " + name + " sets " + e.path("name").asText()
                                + " inline; take it from a Secret");
                    }
                });
                if (!(c.path("resources").path("limits").has("cpu") && c.path("resources").path("limits").has("memory"))) {
                    complaints.add(id + ": container " + name + " has no cpu and memory limits");
                }
            }
        }
        return complaints;
    }

    private static boolean mountsEmptyDir(FlinkDeploymentView d, String directory) {
        JsonNode spec = d.spec().path("podTemplate").path("spec");
        return d.mainContainer().map(c -> {
            for (JsonNode mount : c.path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals(directory)) {
                    for (JsonNode volume : spec.path("volumes")) {
                        if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("emptyDir")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }).orElse(false);
    }

    private static List<String> resources(FlinkDeploymentView d) {
        List<String> complaints = new ArrayList<>();
        for (String role : List.of("jobManager", "taskManager")) {
            for (String resource : List.of("cpu", "memory")) {
                if (!d.spec().path(role).path("resource").has(resource)) {
                    complaints.add(d.id() + ": " + role + ".resource." + resource + " is not set");
                }
            }
        }
        d.podTemplates().forEach((where, template) -> template.path("spec").path("containers").forEach(c -> {
            boolean sidecar = !c.path("name").asText().equals(FlinkDeploymentView.MAIN_CONTAINER);
            if (sidecar && !(c.path("resources").path("limits").has("cpu") && c.path("resources").path("limits").has("memory"))) {
                complaints.add(d.id() + ": " + where + " container " + c.path("name").asText() + " has no cpu and memory limits");
            }
        }));
        return complaints;
    }

    /** Every {@code image} field of a document, at any depth: FlinkDeployment.spec.image and containers alike. */
    private static List<String> images(Manifest m, JsonNode node) {
        List<String> complaints = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("image") && e.getValue().isTextual()) {
                    complaints.addAll(pinned(m, e.getValue().asText()));
                } else {
                    complaints.addAll(images(m, e.getValue()));
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> complaints.addAll(images(m, child)));
        }
        return complaints;
    }

    private static List<String> pinned(Manifest m, String image) {
        if (image.contains("@sha256:")) {
            return List.of();
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return List.of(m.id() + ": image " + image + " has no tag");
        }
        if (image.substring(colon + 1).equals("latest")) {
            return List.of(m.id() + ": image " + image + " uses the tag latest");
        }
        return List.of();
    }
}
