package io.tributary.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The committed manifests, for the tests: the base's resources, and each overlay rendered by kubectl. */
final class RealManifests {
    private static final Map<String, List<Manifest>> RENDERED = new ConcurrentHashMap<>();

    private RealManifests() {}

    static List<Manifest> base() {
        return Manifests.resources(DeployModule.BASE);
    }

    /** An overlay as kubectl renders it; the test is skipped, saying why, where kubectl is absent. */
    static List<Manifest> rendered(String environment) {
        assumeTrue(Kustomize.kubectl().isPresent(), "kubectl is not on the PATH: skipping the checks of the rendered "
                + environment + " overlay (the base's files are still checked)");
        return RENDERED.computeIfAbsent(environment, e -> {
            try {
                return Kustomize.render(DeployModule.overlay(e));
            } catch (Exception ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
        });
    }

    /** The module's base, components and overlays copied into {@code dir}, for an overlay to break. */
    static Path copyOfTheModule(Path dir) {
        for (String folder : List.of("base", "components", "overlays")) {
            Path from = DeployModule.ROOT.resolve(folder);
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path source : walk.toList()) {
                    Path target = dir.resolve(folder).resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** An overlay of such a copy as kubectl renders it; skipped, saying why, where kubectl is absent. */
    static List<Manifest> renderedCopy(Path overlay) throws IOException, InterruptedException {
        assumeTrue(Kustomize.kubectl().isPresent(), "kubectl is not on the PATH: skipping the check of a broken copy of "
                + overlay.getFileName());
        return Kustomize.render(overlay);
    }

    /**
     * A broken copy: the base's documents with {@code edit} applied to a copy of the first one of
     * {@code kind}, which is then the first document of the list.
     */
    static List<Manifest> baseWith(String kind, Consumer<ObjectNode> edit) {
        return with(base(), kind, edit);
    }

    /** The base's documents with {@code edit} applied to a copy of every one of {@code kind}. */
    static List<Manifest> baseWithEach(String kind, Consumer<ObjectNode> edit) {
        List<Manifest> result = new ArrayList<>();
        for (Manifest m : base()) {
            if (m.is(kind)) {
                Manifest copy = m.copy();
                edit.accept((ObjectNode) copy.doc());
                result.add(copy);
            } else {
                result.add(m);
            }
        }
        return result;
    }

    static List<Manifest> with(List<Manifest> manifests, String kind, Consumer<ObjectNode> edit) {
        List<Manifest> result = new ArrayList<>();
        boolean edited = false;
        for (Manifest m : manifests) {
            if (!edited && m.is(kind)) {
                Manifest copy = m.copy();
                edit.accept((ObjectNode) copy.doc());
                result.add(0, copy);
                edited = true;
            } else {
                result.add(m);
            }
        }
        if (!edited) {
            throw new IllegalArgumentException("no " + kind + " to break");
        }
        return result;
    }
}
