package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads manifests: multi-document YAML files, the base's resources, JSON. */
final class Manifests {
    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {}

    /** Every document of a YAML text; empty documents (a file that starts with a comment and ---) are skipped. */
    static List<Manifest> parse(String yaml, String source) throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    manifests.add(new Manifest(source, doc));
                }
            }
        }
        return manifests;
    }

    static List<Manifest> load(Path file) {
        try {
            return parse(Files.readString(file), DeployModule.ROOT.relativize(file.toAbsolutePath()).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The documents of the files a kustomization lists under {@code resources} (directories excluded). */
    static List<Manifest> resources(Path kustomizationDir) {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : resourceFiles(kustomizationDir)) {
            manifests.addAll(load(file));
        }
        return manifests;
    }

    static List<Path> resourceFiles(Path kustomizationDir) {
        JsonNode kustomization = load(kustomizationDir.resolve("kustomization.yaml")).get(0).doc();
        List<Path> files = new ArrayList<>();
        kustomization.path("resources").forEach(r -> {
            Path path = kustomizationDir.resolve(r.asText()).normalize();
            if (Files.isRegularFile(path)) {
                files.add(path);
            }
        });
        return files;
    }

    static List<Manifest> ofKind(List<Manifest> manifests, String kind) {
        return manifests.stream().filter(m -> m.is(kind)).toList();
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
