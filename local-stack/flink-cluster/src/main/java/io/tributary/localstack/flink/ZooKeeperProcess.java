package io.tributary.localstack.flink;

import io.tributary.localstack.LocalServers;
import io.tributary.localstack.internal.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single ZooKeeper server in a JVM of its own, for the high availability of
 * {@link FlinkProcessCluster}s: the ZooKeeper 3.7 that Flink shades into its own jars
 * ({@code flink-shaded-zookeeper-3}, on the Flink image's classpath), so that nothing beyond what
 * a Flink cluster runs on is needed. Its data is in a directory of the caller's.
 */
public final class ZooKeeperProcess implements AutoCloseable {
    private static final String MAIN = "org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.server.ZooKeeperServerMain";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    private ZooKeeperProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a server on a free port of localhost and returns once it accepts connections.
     *
     * @param data an empty directory for its snapshots and transaction log
     * @param log the file its output goes to
     */
    public static ZooKeeperProcess start(Path data, Path log) throws IOException {
        int port = FreePorts.pick();
        Files.createDirectories(data);
        Files.createDirectories(log.toAbsolutePath().getParent());
        // The admin server (an HTTP port of its own, 8080 by default) is not needed.
        Process process = new ProcessBuilder(List.of(FlinkProcessCluster.java(), "-Xmx128m",
                "-Dzookeeper.admin.enableServer=false", "-cp", FlinkProcessCluster.flinkImageClasspath(), MAIN,
                String.valueOf(port), data.toAbsolutePath().toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalServers.dieWithThisJvm(process);
        ZooKeeperProcess zooKeeper = new ZooKeeperProcess(process, port);
        zooKeeper.awaitListening(log);
        return zooKeeper;
    }

    private void awaitListening(Path log) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("ZooKeeper did not listen on port " + port + " within " + READY_TIMEOUT.toSeconds()
                            + " s (" + (process.isAlive() ? "still starting" : "exited") + "); see " + log);
                }
                FlinkProcessCluster.sleep(Duration.ofMillis(200));
            }
        }
    }

    /** The {@code high-availability.zookeeper.quorum} of the clusters that use it, e.g. {@code localhost:2181}. */
    public String connectString() {
        return "localhost:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
