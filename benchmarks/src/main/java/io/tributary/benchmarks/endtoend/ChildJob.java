package io.tributary.benchmarks.endtoend;

import io.tributary.localstack.LocalServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A job in a JVM of its own, as on a task manager, so that its memory and CPU are measured alone:
 * the peak resident set size (VmHWM) and the CPU time of the process are sampled while it runs.
 */
final class ChildJob implements AutoCloseable {
    /** The job JVM's heap, as in the ceilings of STACK.md. */
    static final String HEAP = "-Xmx2g";
    private static final List<String> OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED");

    private final Process process;
    private final Thread sampler;
    private volatile long peakRssKb;
    private volatile Duration cpuTime = Duration.ZERO;

    private ChildJob(Process process) {
        this.process = process;
        this.sampler = new Thread(this::sample, "benchmark-rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts {@code mainClass} with this JVM's classpath; its output goes to {@code log}. */
    static ChildJob start(String mainClass, List<String> args, Map<String, String> environment, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(HEAP);
        command.addAll(OPENS);
        command.add("-Dlog4j2.configurationFile=log4j2-cli.properties");
        // Extra options for the job JVMs, e.g. a flight recording or another logging configuration.
        String extra = System.getenv("BENCHMARK_JOB_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        LocalServers.dieWithThisJvm(process);
        return new ChildJob(process);
    }

    /** Waits for the job to end by itself; returns its exit code, or throws on timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("The job did not finish within " + timeout);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The highest resident set size seen, in MiB. */
    long peakRssMib() {
        return peakRssKb / 1024;
    }

    /** CPU time (user and system) the process had used at the last sample, 200 ms before it ended at most. */
    Duration cpuTime() {
        return cpuTime;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void sample() {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        while (process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
                process.info().totalCpuDuration().ifPresent(cpu -> cpuTime = cpu);
                Thread.sleep(200);
            } catch (IOException e) {
                return; // the process is gone, or /proc is not there (not Linux): no figure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
