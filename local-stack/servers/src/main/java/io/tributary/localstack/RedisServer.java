package io.tributary.localstack;

import io.tributary.localstack.internal.ChildProcessReaper;
import io.tributary.localstack.internal.ChildServerCloser;
import io.tributary.localstack.internal.FreePorts;
import io.tributary.localstack.internal.TempDirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} (6.2, shipped inside the embedded-redis jar) as a child process,
 * bound to 127.0.0.1 on a free port, holding its data in memory, written to disk only when it is
 * {@link #stop() stopped} for a {@link #restart()}.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final String HOST = "127.0.0.1";

    private final redis.embedded.RedisServer server;
    private final int port;
    private volatile long pid;
    private final ChildServerCloser closer;
    private boolean stopped;

    private RedisServer(redis.embedded.RedisServer server, int port, long pid, Path directory) {
        this.server = server;
        this.port = port;
        this.pid = pid;
        this.closer = new ChildServerCloser("redis-server on " + HOST + ":" + port, pid, directory);
    }

    /** Starts a server on a free port and returns once it accepts connections. */
    public static RedisServer start() {
        return start(FreePorts.pick());
    }

    /** Starts a server on {@code port}: for a test that brings Redis back where a client waits for it. */
    public static RedisServer start(int port) {
        long startedAt = System.nanoTime();
        // The binary is copied out of the jar on every start; into a directory of ours, so that
        // it is deleted even when this JVM is killed (embedded-redis relies on deleteOnExit).
        Path directory = TempDirs.create("tributary-redis-");
        ChildProcessReaper.forThisJvm().deleteOnDeath(directory);
        redis.embedded.RedisServer server;
        try {
            server = redis.embedded.RedisServer.newRedisServer()
                    .executableProvider(ExecutableProvider.newJarResourceProvider(
                            directory::toFile, ExecutableProvider.newProvidedVersionsMap()))
                    .bind(HOST)
                    .port(port)
                    .setting("save \"\"") // No snapshots: the data lives as long as the server.
                    .setting("appendonly no")
                    // Someone must keep reading its output, or redis blocks once the pipe is full.
                    .soutListener(line -> LOG.debug("redis-server {}: {}", port, line))
                    .serrListener(line -> LOG.debug("redis-server {}: {}", port, line))
                    .build();
            server.start();
        } catch (IOException e) {
            // embedded-redis wraps the useful part (what redis printed) in the cause.
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            TempDirs.deleteRecursively(directory);
            throw new UncheckedIOException("Could not start redis-server on " + HOST + ":" + port + ": " + reason, e);
        }
        long pid;
        try {
            pid = serverPid(port);
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            TempDirs.deleteRecursively(directory);
            throw new IllegalStateException("redis-server started on " + HOST + ":" + port
                    + " but does not answer INFO: " + e.getMessage(), e);
        }
        ChildProcessReaper.forThisJvm().register(pid);
        LOG.info("Redis at {}:{} started in {} ms (pid {})", HOST, port,
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), pid);
        return new RedisServer(server, port, pid, directory);
    }

    /**
     * Asks the server for its pid. embedded-redis does not expose its process, and this answer
     * comes from the very server listening on our port.
     */
    private static long serverPid(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            // Inline commands; QUIT makes the server close the connection after the INFO reply.
            socket.getOutputStream().write("INFO server\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = reply.readLine(); line != null; line = reply.readLine()) {
                if (line.startsWith("process_id:")) {
                    return Long.parseLong(line.substring("process_id:".length()).trim());
                }
            }
        }
        throw new IOException("its INFO reply has no process_id");
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** E.g. {@code redis://127.0.0.1:41234}. */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    /** The pid of the {@code redis-server} process. */
    public long pid() {
        return pid;
    }

    /**
     * Stops the server as an operator would for maintenance: {@code SHUTDOWN SAVE} writes its data
     * to a snapshot in its directory, then it exits. Clients are refused until {@link #restart()}.
     *
     * @throws IllegalStateException when it does not exit within 30 s
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        long stopping = pid;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("SHUTDOWN SAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            // No reply on success: the server closes the connection as it exits.
            while (socket.getInputStream().read() >= 0) {
                // An error reply, read to the end; the exit check below reports it.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not ask redis-server on " + HOST + ":" + port + " to shut down: "
                    + e.getMessage(), e);
        }
        closer.awaitStopped(Duration.ofSeconds(30));
        try {
            server.stop(); // Only marks embedded-redis' handle stopped, so that start() launches again.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stopped = true;
        LOG.info("Redis at {}:{} stopped (pid {}), its data saved", HOST, port, stopping);
    }

    /** Starts a {@link #stop() stopped} server again on the same port, with the data it had. */
    public synchronized void restart() {
        if (!stopped) {
            throw new IllegalStateException("redis-server on " + HOST + ":" + port + " was not stopped");
        }
        try {
            server.start();
            closer.restartedAs(pid = serverPid(port));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restart redis-server on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
        stopped = false;
        LOG.info("Redis at {}:{} restarted (pid {})", HOST, port, pid);
    }

    /** Stops the server (SIGTERM, waiting for it to exit); its data is gone. */
    @Override
    public synchronized void close() {
        closer.close(server::stop);
    }

    private static void stopQuietly(redis.embedded.RedisServer server) {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warn("Could not stop a redis-server that failed to start", e);
        }
    }
}
