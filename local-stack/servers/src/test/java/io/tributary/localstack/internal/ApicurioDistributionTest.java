package io.tributary.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioDistributionTest {

    @TempDir
    Path tmp;

    @Test
    void unpacksOnceIntoTheTargetAndClearsLeftoversOfAnInterruptedUnpacking() throws IOException {
        Path archive = archive(Map.of("app-runner.jar", "runner", "lib/dependency.jar", "dependency"));
        Path target = tmp.resolve("cache").resolve("apicurio-registry-1.0");
        Path leftover = Files.createDirectories(target.resolveSibling("apicurio-registry-1.0.unpacking-42"));

        assertThat(ApicurioDistribution.unpackOnce(archive, target)).isEqualTo(target);

        assertThat(target.resolve("app-runner.jar")).hasContent("runner");
        assertThat(target.resolve("lib").resolve("dependency.jar")).hasContent("dependency");
        assertThat(leftover).doesNotExist();

        // A second call finds the directory and leaves it alone.
        Files.writeString(target.resolve("app-runner.jar"), "already unpacked");
        ApicurioDistribution.unpackOnce(archive, target);
        assertThat(target.resolve("app-runner.jar")).hasContent("already unpacked");
    }

    @Test
    void refusesAnEntryThatPointsOutsideTheTarget() throws IOException {
        Path archive = archive(Map.of("../escaped.txt", "gotcha"));
        Path cache = tmp.resolve("cache");
        Path target = cache.resolve("apicurio-registry-1.0");

        assertThatThrownBy(() -> ApicurioDistribution.unpackOnce(archive, target))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'../escaped.txt' points outside the target directory");

        assertThat(target).doesNotExist();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).map(path -> path.getFileName().toString()).containsExactly("apicurio-registry-1.0.lock");
        }
    }

    @Test
    void anOverriddenArchiveThatDoesNotExistIsReportedByName() {
        Path missing = tmp.resolve("nowhere.tar.gz");
        System.setProperty(ApicurioDistribution.ARCHIVE_PROPERTY, missing.toString());
        try {
            assertThatThrownBy(ApicurioDistribution::fromBuild)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(missing.toString())
                    .hasMessageContaining("does not exist");
        } finally {
            System.clearProperty(ApicurioDistribution.ARCHIVE_PROPERTY);
        }
    }

    private Path archive(Map<String, String> files) throws IOException {
        Path archive = tmp.resolve("test.tar.gz");
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            for (Map.Entry<String, String> entry : files.entrySet()) {
                byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
                tarEntry.setSize(content.length);
                tar.putArchiveEntry(tarEntry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }
}
