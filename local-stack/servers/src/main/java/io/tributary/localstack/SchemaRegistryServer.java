package io.tributary.localstack;

import io.tributary.localstack.internal.ApicurioDistribution;
import io.tributary.localstack.internal.ChildProcessReaper;
import io.tributary.localstack.internal.FreePorts;
import io.tributary.localstack.internal.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio schema registry, serving the Confluent Schema Registry API, in a child JVM storing
 * its schemas in an H2 database file in its directory: every start, and every
 * {@link #restartEmpty()}, begins with no subjects; a {@link #stop()} and {@link #restart()} keep
 * them, as a registry backed by a database does.
 *
 * <p>It runs in its own JVM because it is a Quarkus application whose hundreds of jars would
 * clash with ours. Its output goes to {@link #logFile()}, in a temporary directory deleted on
 * {@link #close()}.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final String API_PATH = "/apis/ccompat/v7";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int LOG_LINES_IN_ERRORS = 20;

    private volatile Process process;
    private final int port;
    private final Path directory;
    private boolean stopped;
    private boolean closed;

    private SchemaRegistryServer(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /**
     * Starts the registry on a free port and returns once its API answers. The first start on a
     * machine also unpacks the distribution (146 MB) into {@code ~/.cache/tributary/}.
     */
    public static SchemaRegistryServer start() {
        long startedAt = System.nanoTime();
        Path directory = TempDirs.create("tributary-schema-registry-");
        int port = FreePorts.pick();
        SchemaRegistryServer server = new SchemaRegistryServer(launch(directory, port), port, directory);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            // Keep the directory: its log explains the failure.
            server.stopProcess();
            throw e;
        }
        ChildProcessReaper.forThisJvm().deleteOnDeath(directory);
        LOG.info("Apicurio schema registry at {} started in {} ms (pid {})", server.url(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), server.pid());
        return server;
    }

    /**
     * Stops the registry's process and starts a new one on the same port, which knows nothing: what a
     * client sees when its registry is restored empty, or fails over to a replica that never synced.
     * Returns once the new one answers; its output goes on in the same {@link #logFile()}.
     */
    public synchronized void restartEmpty() {
        if (closed) {
            throw new IllegalStateException("The registry was closed");
        }
        long pid = process.pid();
        stop();
        TempDirs.deleteRecursively(storage(directory));
        restart();
        LOG.info("Apicurio schema registry at {} restarted empty (pid {}, was {})", url(), process.pid(), pid);
    }

    /**
     * Stops the registry's process (SIGTERM; its database is closed) and keeps its schemas:
     * clients are refused until {@link #restart()}.
     */
    public synchronized void stop() {
        if (closed) {
            throw new IllegalStateException("The registry was closed");
        }
        if (!stopped) {
            stopProcess();
            stopped = true;
            LOG.info("Apicurio schema registry at {} stopped (pid {})", url(), process.pid());
        }
    }

    /**
     * Starts a {@link #stop() stopped} registry again on the same port, with the schemas and ids it
     * had; returns once it answers. Its output goes on in the same {@link #logFile()}.
     */
    public synchronized void restart() {
        if (closed || !stopped) {
            throw new IllegalStateException("The registry at " + url() + " was " + (closed ? "closed" : "not stopped"));
        }
        process = launch(directory, port);
        awaitReady();
        stopped = false;
        LOG.info("Apicurio schema registry at {} restarted (pid {})", url(), process.pid());
    }

    private static Path storage(Path directory) {
        return directory.resolve("storage");
    }

    private static Process launch(Path directory, int port) {
        Path jar = ApicurioDistribution.fromBuild().runnerJar();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.enabled=false",
                // Its temporary files (vert.x cache) and working directory are in ours, deleted with it.
                "-Djava.io.tmpdir=" + directory,
                "-jar", jar.toString()))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("apicurio.log").toFile()));
        // Apicurio's own setting for its H2 storage (in memory by default).
        builder.environment().put("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + storage(directory).resolve("registry"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch the Apicurio registry (" + String.join(" ", builder.command())
                    + "): " + e.getMessage(), e);
        }
        ChildProcessReaper.forThisJvm().register(process.pid());
        return process;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Apicurio registry exited with code " + process.exitValue()
                            + " before it was ready" + logTail());
                }
                try {
                    if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // Not listening yet.
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The Apicurio registry did not answer " + probe.uri() + " within "
                            + READY_TIMEOUT.toSeconds() + " s" + logTail());
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Apicurio registry to start", e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return "; last lines of " + logFile() + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size()));
        } catch (IOException e) {
            return "; its log " + logFile() + " cannot be read: " + e.getMessage();
        }
    }

    /** The Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}: the {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + API_PATH;
    }

    public int port() {
        return port;
    }

    /** The pid of the registry's JVM. */
    public long pid() {
        return process.pid();
    }

    /** The registry's own output, while it runs. */
    public Path logFile() {
        return directory.resolve("apicurio.log");
    }

    /** Stops the registry (gracefully, then forcibly after 15 s) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!stopped) {
            stopProcess();
        }
        TempDirs.deleteRecursively(directory);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The Apicurio registry (pid {}) did not stop within {} s of SIGTERM; killing it",
                        process.pid(), STOP_TIMEOUT.toSeconds());
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (!process.isAlive()) {
            ChildProcessReaper.forThisJvm().unregister(process.pid());
        }
    }
}
