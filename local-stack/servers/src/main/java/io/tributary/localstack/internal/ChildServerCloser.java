package io.tributary.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a server that runs as a child process with a temporary directory of its own is closed: once,
 * however often {@code close()} is called; the server is stopped; then the reaper stops watching
 * its pid and the directory is deleted. When it cannot be stopped, both stay, as the process may
 * still run.
 */
public final class ChildServerCloser {

    /** Stops the server and waits for it to exit. */
    @FunctionalInterface
    public interface Stop {
        void stop() throws IOException;
    }

    private final String server;
    private volatile long pid;
    private final Path directory;
    private boolean closed;

    /**
     * @param server what the server is and where, for the error, e.g. {@code redis-server on 127.0.0.1:6379}
     */
    public ChildServerCloser(String server, long pid, Path directory) {
        this.server = server;
        this.pid = pid;
        this.directory = directory;
    }

    /**
     * Waits for the server's process, told to stop (for a restart), to exit; then the reaper stops
     * watching it.
     *
     * @throws IllegalStateException when it does not exit within {@code timeout}
     */
    public void awaitStopped(Duration timeout) {
        long stopping = pid;
        ProcessHandle.of(stopping).ifPresent(process -> {
            try {
                process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException(server + " (pid " + stopping + ") did not exit within " + timeout.toSeconds()
                        + " s of being told to stop", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while " + server + " (pid " + stopping + ") stopped", e);
            }
        });
        ChildProcessReaper.forThisJvm().unregister(stopping);
    }

    /** The stopped server was started again as a new process: the reaper watches {@code newPid}. */
    public void restartedAs(long newPid) {
        pid = newPid;
        ChildProcessReaper.forThisJvm().register(newPid);
    }

    public synchronized void close(Stop stop) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop " + server + " (pid " + pid + "): " + e.getMessage(), e);
        }
        ChildProcessReaper.forThisJvm().unregister(pid);
        TempDirs.deleteRecursively(directory);
    }
}
