package io.tributary.localstack.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The Apicurio registry distribution: found in the local Maven repository, where the build
 * downloaded it, and unpacked once per machine into {@code ~/.cache/tributary/}.
 */
public final class ApicurioDistribution {

    /** System property naming the archive to use instead of the one in the local Maven repository. */
    public static final String ARCHIVE_PROPERTY = "tributary.apicurio.archive";

    private static final String BUILD_PROPERTIES = "/io/tributary/localstack/local-stack.properties";
    private static final String UNPACKING_SUFFIX = ".unpacking-";

    private final String version;
    private final Path archive;

    private ApicurioDistribution(String version, Path archive) {
        this.version = version;
        this.archive = archive;
    }

    /** The distribution this build was made with (see {@link #ARCHIVE_PROPERTY} to override the archive). */
    public static ApicurioDistribution fromBuild() {
        Properties build = buildProperties();
        String version = build.getProperty("apicurio.version");
        String override = System.getProperty(ARCHIVE_PROPERTY);
        if (override != null) {
            Path archive = Path.of(override);
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("Apicurio registry archive " + archive + " (set by -D"
                        + ARCHIVE_PROPERTY + ") does not exist; point it at apicurio-registry-app-" + version
                        + "-all.tar.gz or remove the property to use the local Maven repository");
            }
            return new ApicurioDistribution(version, archive);
        }
        Path repository = Path.of(build.getProperty("maven.local.repository"));
        if (!Files.isDirectory(repository)) {
            // Built on another machine or in a container: try the usual place on this one.
            repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        }
        Path archive = repository.resolve(Path.of("io", "apicurio", "apicurio-registry-app", version,
                "apicurio-registry-app-" + version + "-all.tar.gz"));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("Apicurio registry archive " + archive + " is missing; run `mvn install`"
                    + " in the project (it downloads io.apicurio:apicurio-registry-app:" + version
                    + ":tar.gz:all) or set -D" + ARCHIVE_PROPERTY + "=<path to the archive>");
        }
        return new ApicurioDistribution(version, archive);
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream(BUILD_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(BUILD_PROPERTIES + " is missing from the classpath; build local-stack-servers with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + BUILD_PROPERTIES + ": " + e.getMessage(), e);
        }
        if (properties.getProperty("apicurio.version", "${").contains("${")) {
            throw new IllegalStateException(BUILD_PROPERTIES + " was not filtered by Maven (it still holds placeholders);"
                    + " build local-stack-servers with Maven, or enable resource filtering in the IDE");
        }
        return properties;
    }

    /** The runnable jar, unpacking the archive first if this machine has not done so yet. */
    public Path runnerJar() {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "tributary", "apicurio-registry-" + version);
        Path jar = unpackOnce(archive, home).resolve("apicurio-registry-app-" + version + "-runner.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(archive + " unpacked into " + home + " holds no " + jar.getFileName()
                    + "; check that the archive is apicurio-registry-app-" + version + "-all.tar.gz, then delete " + home);
        }
        return jar;
    }

    /**
     * Unpacks {@code archive} into {@code target} unless that directory exists. The archive is
     * unpacked into a sibling directory first and renamed into place atomically, so {@code target}
     * is either absent or complete; a file lock next to it keeps concurrent JVMs from unpacking
     * twice, and {@code synchronized} keeps threads of one JVM from colliding on that lock.
     */
    static synchronized Path unpackOnce(Path archive, Path target) {
        if (Files.isDirectory(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.lock(); // Released when the channel closes.
                if (Files.isDirectory(target)) {
                    return target; // Another JVM unpacked it while we waited for the lock.
                }
                deleteLeftoversOfInterruptedUnpacking(target);
                Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + UNPACKING_SUFFIX);
                try {
                    extract(archive, staging);
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    TempDirs.deleteRecursively(staging);
                    throw e;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + archive + " into " + target + ": " + e.getMessage(), e);
        }
    }

    /** Holding the lock, any staging directory belongs to a JVM that died while unpacking. */
    private static void deleteLeftoversOfInterruptedUnpacking(Path target) throws IOException {
        String prefix = target.getFileName() + UNPACKING_SUFFIX;
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            siblings.filter(path -> path.getFileName().toString().startsWith(prefix)).forEach(TempDirs::deleteRecursively);
        }
    }

    private static void extract(Path archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(archive))))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IllegalStateException("Refusing to unpack " + archive + ": entry '" + entry.getName()
                            + "' points outside the target directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                } else {
                    // The distribution is jars only; links or devices mean this is not the expected archive.
                    throw new IllegalStateException("Refusing to unpack " + archive + ": entry '" + entry.getName()
                            + "' is neither a file nor a directory");
                }
            }
        }
    }
}
