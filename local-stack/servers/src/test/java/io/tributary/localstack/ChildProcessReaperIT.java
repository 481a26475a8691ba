package io.tributary.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM killed with SIGKILL, which runs no shutdown hook, still takes its servers with it. */
class ChildProcessReaperIT {

    @Test
    void redisDiesWithTheJvmThatStartedItEvenOnSigkill() throws Exception {
        Process jvm = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                RedisInChildJvm.class.getName())
                .redirectErrorStream(true)
                .start();
        long redisPid = -1;
        try {
            StringBuilder output = new StringBuilder();
            redisPid = CompletableFuture.supplyAsync(() -> readPid(jvm, output)).get(60, TimeUnit.SECONDS);
            assertThat(isRunning(redisPid)).as("redis-server running before the kill").isTrue();

            jvm.destroyForcibly(); // SIGKILL
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("killed JVM exited").isTrue();

            // The reaper sends SIGTERM at once and SIGKILL after 5 s: 20 s is plenty.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (isRunning(redisPid) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(isRunning(redisPid)).as("redis-server (pid %d) running after its JVM was killed", redisPid).isFalse();
        } finally {
            jvm.destroyForcibly();
            if (redisPid > 0 && isRunning(redisPid)) {
                ProcessHandle.of(redisPid).ifPresent(ProcessHandle::destroyForcibly); // Don't leak it when the test fails.
            }
        }
    }

    private static long readPid(Process jvm, StringBuilder output) {
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(RedisInChildJvm.PID_PREFIX)) {
                    return Long.parseLong(line.substring(RedisInChildJvm.PID_PREFIX.length()));
                }
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("The child JVM printed no redis pid; its output:\n" + output);
    }

    /** Alive and not a zombie: an orphan's corpse may linger until init collects it. */
    private static boolean isRunning(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
