package io.tributary.localstack.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka (broker and controller combined) in a JVM of its own, run by Kafka's
 * own {@code kafka.Kafka} on this JVM's classpath, which holds the broker for the in-process mode
 * anyway. Its data and log stay in one directory across {@link #kill()} and {@link #start()}, so
 * that it can be killed and started again on the same ports, as a broker pod is.
 */
public final class KafkaBrokerProcess {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final Path properties;
    private final String bootstrapServers;
    private Process process;

    private KafkaBrokerProcess(Path directory, Path properties, String bootstrapServers) {
        this.directory = directory;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a new log directory under {@code directory}; call {@link #start()} next. */
    public static KafkaBrokerProcess format(Path directory) {
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        config.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", directory.resolve("data").toString());
        // As the in-process broker: topics are created on purpose, and one node holds every replica.
        config.put("auto.create.topics.enable", "false");
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        Path file = directory.resolve("server.properties");
        try {
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                config.store(out, "Written by KafkaBrokerProcess");
            }
            run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()),
                    directory.resolve("format.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not format a Kafka log directory in " + directory + ": " + e.getMessage(), e);
        }
        return new KafkaBrokerProcess(directory, file, "localhost:" + brokerPort);
    }

    /** Starts the broker's JVM and returns once it answers clients. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The broker already runs (pid " + process.pid() + ")");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command(List.of("kafka.Kafka", properties.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch the Kafka broker: " + e.getMessage(), e);
        }
        ChildProcessReaper.forThisJvm().register(process.pid());
        awaitReady();
    }

    /** Kills the broker's JVM with SIGKILL: no controlled shutdown, its logs recovered on the next start. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The Kafka broker (pid " + process.pid() + ") did not die within 10 s of SIGKILL");
        }
        ChildProcessReaper.forThisJvm().unregister(process.pid());
    }

    /** Stops the broker's JVM (SIGTERM: a controlled shutdown), SIGKILL after 20 s. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        ChildProcessReaper.forThisJvm().unregister(process.pid());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker JVM's pid; -1 before it started. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Where the broker's output goes, across restarts. */
    public Path logFile() {
        return directory.resolve("kafka.log");
    }

    private void awaitReady() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with code " + process.exitValue()
                            + " before it was ready; see " + logFile());
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // Not listening yet.
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The Kafka broker did not answer within " + READY_TIMEOUT.toSeconds()
                            + " s; see " + logFile());
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static void run(List<String> mainAndArgs, Path log) throws IOException {
        Process process = new ProcessBuilder(command(mainAndArgs)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(mainAndArgs.get(0) + " failed; its output: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running " + mainAndArgs.get(0), e);
        }
    }

    private static List<String> command(List<String> mainAndArgs) {
        // The client compiler only: the broker of a chaos run shares two cores with three Flink clusters,
        // and the format tool lives for a second; what the broker stores does not depend on it.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        return command;
    }

    @Override
    public String toString() {
        return "Kafka broker at " + bootstrapServers + " (pid " + pid() + ", " + directory + File.separator + ")";
    }
}
