package io.tributary.benchmarks.endtoend;

import io.tributary.localstack.LocalServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A job in a JVM of its own, as on a task manager, so that its memory and CPU are measured alone:
 * the peak resident set size (VmHWM), and the CPU time of the process and of each of its threads
 * ({@link ProcessCpu}), are sampled while it runs, so that a measurement can take the CPU used over
 * its own window rather than over the JVM's whole life (start-up, JIT warm-up, shutdown).
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
    /** How often CPU is sampled: each sample reads a file per thread, so not too often. */
    private static final long SAMPLE_MILLIS = 500;
    /** Thread groups named in a row. */
    private static final int TOP_THREADS = 4;

    private volatile long peakRssKb;
    private final List<ProcessCpu.Sample> samples = Collections.synchronizedList(new ArrayList<>());

    private ChildJob(Process process) {
        this.process = process;
        this.sampler = new Thread(this::sample, "benchmark-job-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts {@code mainClass} on this JVM's classpath as {@code classpath} trims it; output to {@code log}. */
    static ChildJob start(JobClasspath classpath, String mainClass, List<String> args, Map<String, String> environment,
            Path log) throws IOException {
        return start(classpath, mainClass, args, environment, log, List.of());
    }

    /**
     * As {@link #start(JobClasspath, String, List, Map, Path)}, with more options for the job's JVM, e.g.
     * for a test that compares what a job writes, never how fast.
     */
    static ChildJob start(JobClasspath classpath, String mainClass, List<String> args, Map<String, String> environment,
            Path log, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(HEAP);
        command.addAll(OPENS);
        command.add("-Dlog4j2.configurationFile=log4j2-cli.properties");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath.ofThisJvm());
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

    /**
     * The CPU (user and system) the process used between two instants (System.nanoTime), e.g. its
     * first and last result, to the nearest samples, with the threads that used most of it.
     */
    ProcessCpu.Window cpuBetween(long fromNanos, long toNanos) throws InterruptedException {
        // A job still running gets the sample after the window's end, which may not be taken yet.
        long deadline = System.nanoTime() + Duration.ofMillis(3 * SAMPLE_MILLIS).toNanos();
        while (process.isAlive() && lastSampleNanos() < toNanos && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        synchronized (samples) {
            return ProcessCpu.between(samples, fromNanos, toNanos, TOP_THREADS);
        }
    }

    private long lastSampleNanos() {
        synchronized (samples) {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).atNanos();
        }
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
                ProcessCpu.Sample sample = ProcessCpu.sample(process.pid());
                if (sample != null) {
                    samples.add(sample);
                }
                Thread.sleep(SAMPLE_MILLIS);
            } catch (IOException e) {
                return; // the process is gone, or /proc is not there (not Linux): no figure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
