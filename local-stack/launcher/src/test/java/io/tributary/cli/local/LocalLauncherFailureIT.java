package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tributary local} failing for real, in a JVM of its own: it must exit with one line on
 * standard error and exit code 1, and leave no server behind. Before, the JVM of a failed run could
 * hang on the in-process broker's threads until killed by hand. The wait below only detects such a
 * hang; it is no performance bound.
 */
class LocalLauncherFailureIT {
    @Test
    void aRegistryArchiveThatCannotBeUnpackedEndsTheRunWithOneLine(@TempDir Path dir) throws Exception {
        Path archive = Files.writeString(dir.resolve("apicurio-registry-app-all.tar.gz"), "not a gzip archive");
        Path emptyHome = Files.createDirectories(dir.resolve("home"));

        Run run = Run.launcher(dir, List.of("-Duser.home=" + emptyHome, "-Dtributary.apicurio.archive=" + archive),
                "local", "--duration", "20s", "--local-dir", dir.resolve("run").toString());

        assertThat(run.exitCode).as(run.err).isEqualTo(1);
        assertThat(run.errorLines()).as(run.err).singleElement().asString()
                .startsWith("tributary: Cannot unpack " + archive);
        assertThat(run.leftovers(dir)).as("processes started by the run").isEmpty();
    }

    @Test
    void aJobThatCannotStartEndsTheRunAndStopsEveryServer(@TempDir Path dir) throws Exception {
        // Checkpoints, savepoints and the warehouse go under --local-dir: a file there fails the jobs.
        Path notADirectory = Files.writeString(dir.resolve("local-run"), "a file, not a directory");

        Run run = Run.launcher(dir, List.of(), "local", "--duration", "60s", "--local-dir", notADirectory.toString());

        assertThat(run.exitCode).as(run.out + run.err).isEqualTo(1);
        assertThat(run.out).as("it failed after the servers started").contains("Registered 10 subjects");
        assertThat(run.errorLines()).as(run.err).singleElement().asString().startsWith("tributary: ")
                .contains(notADirectory.toString());
        assertThat(run.leftovers(dir)).as("processes started by the run").isEmpty();
    }

    /** One run of the launcher's main class in a child JVM, with its temporary files under {@code dir}. */
    private record Run(int exitCode, String out, String err) {
        static Run launcher(Path dir, List<String> jvmOptions, String... args) throws Exception {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Djava.io.tmpdir=" + tmp, "-Dlog4j2.configurationFile=log4j2-cli.properties"));
            // The JDK opens Flink needs, as this test JVM got them from the build.
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-opens")).toList());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalLauncher.class.getName()));
            command.addAll(List.of(args));
            Path out = dir.resolve("out.txt");
            Path err = dir.resolve("err.txt");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("the launcher did not exit within 3 minutes; it printed:"
                        + System.lineSeparator() + Files.readString(out) + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }

        /** The lines of standard error that are not log lines. */
        List<String> errorLines() {
            return err.lines().filter(line -> !line.matches("^\\d{2}:\\d{2}:\\d{2}.*")).filter(l -> !l.isBlank()).toList();
        }

        /**
         * Processes still running whose command line names {@code dir}: the registry, Redis, PostgreSQL.
         * The child-process reaper outlives the launcher by design (it deletes the broker's directory
         * with {@code rm} after the JVM is gone), so a process is a leftover only if it is still there
         * after the reaper's own deadline: 5 s of SIGTERM grace, with margin for a loaded machine.
         */
        List<String> leftovers(Path dir) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> running = running(dir);
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                running = running(dir);
            }
            return running;
        }

        private static List<String> running(Path dir) {
            return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        }
    }
}
