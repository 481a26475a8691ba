package io.tributary.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher script, driven through its pipe; closing the pipe stands in for the death of the JVM. */
class ChildProcessReaperTest {

    @Test
    void whenThePipeClosesItKillsWatchedProcessesSparesForgottenOnesAndDeletesDirectories(@TempDir Path tmp)
            throws Exception {
        Process watched = new ProcessBuilder("sleep", "300").start();
        // Ignores SIGTERM, so only the SIGKILL that follows after 5 s ends it.
        Process stubborn = new ProcessBuilder("sh", "-c", "trap '' TERM; while :; do sleep 0.1; done").start();
        Process forgotten = new ProcessBuilder("sleep", "300").start();
        Path directory = tmp.resolve("server data");
        Files.createDirectories(directory.resolve("nested"));
        Files.writeString(directory.resolve("nested").resolve("file"), "data");
        Path another = Files.createDirectories(tmp.resolve("another"));
        try {
            ChildProcessReaper reaper = ChildProcessReaper.start();
            reaper.register(watched.pid());
            reaper.register(stubborn.pid());
            reaper.register(forgotten.pid());
            reaper.unregister(forgotten.pid());
            reaper.deleteOnDeath(directory);
            reaper.deleteOnDeath(another);

            assertThat(reaper.closeAndAwaitExit(Duration.ofSeconds(60))).as("reaper exited").isTrue();

            assertThat(watched.waitFor(10, TimeUnit.SECONDS)).as("watched process ended").isTrue();
            assertThat(stubborn.waitFor(10, TimeUnit.SECONDS)).as("process ignoring SIGTERM ended").isTrue();
            assertThat(forgotten.isAlive()).as("forgotten process still running").isTrue();
            assertThat(directory).doesNotExist();
            assertThat(another).doesNotExist();
            assertThat(tmp).exists();
        } finally {
            for (Process process : List.of(watched, stubborn, forgotten)) {
                process.destroyForcibly();
            }
        }
    }
}
