package io.tributary.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Renders an overlay with {@code kubectl kustomize}, where kubectl is installed. */
final class Kustomize {
    private Kustomize() {}

    /** kubectl on the PATH, if any: a developer's machine may not have it. */
    static Optional<Path> kubectl() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static List<Manifest> render(Path kustomizationDir) throws IOException, InterruptedException {
        Path kubectl = kubectl().orElseThrow(() -> new IllegalStateException("kubectl is not on the PATH"));
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomizationDir.toString())
                    .redirectError(errors.toFile())
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + DeployModule.ROOT.relativize(kustomizationDir)
                        + " failed: " + Files.readString(errors).strip());
            }
            return Manifests.parse(output, DeployModule.ROOT.relativize(kustomizationDir) + " (rendered)");
        } finally {
            Files.delete(errors);
        }
    }
}
