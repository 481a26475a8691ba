package io.tributary.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

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
     * The server was stopped and started again as a new process: the reaper watches {@code newPid}
     * instead of the old one, which is gone.
     */
    public void restartedAs(long newPid) {
        ChildProcessReaper.forThisJvm().unregister(pid);
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
