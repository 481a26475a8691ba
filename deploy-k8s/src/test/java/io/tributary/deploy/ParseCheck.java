package io.tributary.deploy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every YAML and JSON file of the module parses, and every document a kustomization deploys says
 * what it is (apiVersion, kind, metadata.name).
 */
final class ParseCheck {
    private static final List<String> DIRECTORIES = List.of("base", "components", "overlays", "schema");

    private ParseCheck() {}

    static List<String> check(Path root) {
        List<String> complaints = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String directory : DIRECTORIES) {
            try (Stream<Path> walk = Files.walk(root.resolve(directory))) {
                walk.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<Path> resources = resourceFiles(files);
        for (Path file : files) {
            complaints.addAll(checkFile(root, file, resources.contains(file)));
        }
        return complaints;
    }

    static List<String> checkFile(Path root, Path file, boolean deployed) {
        String name = root.relativize(file).toString();
        try {
            String text = Files.readString(file);
            if (file.toString().endsWith(".json")) {
                Manifests.JSON.readTree(text);
                return List.of();
            }
            List<Manifest> documents = Manifests.parse(text, name);
            List<String> complaints = new ArrayList<>();
            for (int i = 0; deployed && i < documents.size(); i++) {
                JsonNode doc = documents.get(i).doc();
                for (String field : List.of("apiVersion", "kind")) {
                    if (!doc.path(field).isTextual()) {
                        complaints.add(name + " document " + (i + 1) + " has no " + field);
                    }
                }
                if (!doc.path("metadata").path("name").isTextual()) {
                    complaints.add(name + " document " + (i + 1) + " has no metadata.name");
                }
            }
            return complaints;
        } catch (JacksonException e) {
            return List.of(name + " does not parse: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files the kustomizations among {@code files} list as resources. */
    private static Set<Path> resourceFiles(List<Path> files) {
        Set<Path> resources = new HashSet<>();
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                resources.addAll(Manifests.resourceFiles(file.getParent()));
            }
        }
        return resources;
    }
}
