package io.tributary.localstack.internal;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the server processes this JVM starts die with it, however it dies.
 *
 * <p>Shutdown hooks do not run when the JVM is killed with SIGKILL or crashes, so the cleanup
 * lives in a separate watcher: a small {@code sh} script, started once per JVM, that reads
 * commands from a pipe whose writing end only this JVM holds. When this JVM dies for whatever
 * reason, the kernel closes the pipe, the script reads end-of-file, sends SIGTERM to every
 * process still registered, sends SIGKILL to those alive 5 seconds later, and deletes the
 * registered directories. A JVM that exits normally has closed its servers already, so the
 * script finds nothing left to do.
 */
public final class ChildProcessReaper {

    private static final String SCRIPT = """
            # Ctrl-C reaches the whole process group: outlive the JVM to clean up after it.
            trap '' INT HUP
            # Commands, one per line: "watch <pid>", "forget <pid>", "delete <absolute directory>".
            # Pids are kept as " 1 2 3 " so that forgetting one is a pattern substitution.
            pids=' '
            dirs=''
            while IFS= read -r line; do
              case $line in
                'watch '*) pids="$pids${line#watch } " ;;
                'forget '*) p=${line#forget }
                  case $pids in *" $p "*) pids="${pids%% $p *} ${pids#* $p }" ;; esac ;;
                'delete '*) dirs=$(printf '%s\\n%s' "$dirs" "${line#delete }") ;;
              esac
            done
            # End of file: the JVM is gone.
            kill -TERM $pids 2>/dev/null
            i=0
            while [ $i -lt 50 ]; do
              alive=''
              for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
              [ -z "$alive" ] && break
              sleep 0.1
              i=$((i + 1))
            done
            [ -n "$alive" ] && kill -KILL $alive 2>/dev/null
            printf '%s\\n' "$dirs" | while IFS= read -r d; do [ -n "$d" ] && rm -rf -- "$d"; done
            """;

    private static ChildProcessReaper forThisJvm;

    private final Process watcher;
    private final Writer commands;

    private ChildProcessReaper(Process watcher) {
        this.watcher = watcher;
        this.commands = new OutputStreamWriter(watcher.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** The watcher of this JVM, started on first use and alive until the JVM exits. */
    public static synchronized ChildProcessReaper forThisJvm() {
        if (forThisJvm == null) {
            forThisJvm = start();
        }
        return forThisJvm;
    }

    /** Starts an independent watcher (the tests start their own to see it clean up). */
    static ChildProcessReaper start() {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", SCRIPT, "tributary-child-process-reaper")
                .redirectInput(Redirect.PIPE)
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD);
        try {
            return new ChildProcessReaper(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the child-process reaper (sh -c ...): " + e.getMessage()
                    + "; a POSIX shell named sh must be on the PATH", e);
        }
    }

    /** Kills {@code pid} when this JVM dies. */
    public void register(long pid) {
        send("watch " + pid);
    }

    /** Stops watching {@code pid}, once it has exited, so that a later process reusing the pid is spared. */
    public void unregister(long pid) {
        send("forget " + pid);
    }

    /** Deletes {@code directory} and everything in it when this JVM dies, after the processes are gone. */
    public void deleteOnDeath(Path directory) {
        String path = directory.toAbsolutePath().toString();
        if (path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("Directory names with a line break are not supported: " + path);
        }
        send("delete " + path);
    }

    private synchronized void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("The child-process reaper (pid " + watcher.pid() + ") is gone, so '"
                    + command + "' cannot be registered: " + e.getMessage()
                    + "; do not kill it while this JVM runs", e);
        }
    }

    /**
     * Closes the pipe, so the watcher cleans up as if this JVM had died, and waits for it to exit
     * (for tests: the watcher of this JVM must live as long as the JVM).
     */
    synchronized boolean closeAndAwaitExit(Duration timeout) throws IOException, InterruptedException {
        commands.close();
        return watcher.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
