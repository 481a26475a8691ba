package io.tributary.benchmarks.chaos;

import io.tributary.localstack.flink.FlinkProcessCluster;
import io.tributary.localstack.flink.ZooKeeperProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job under chaos in a Flink cluster of its own OS processes (an application-mode JobManager
 * running the job jar's {@code ApplicationMain}, one TaskManager), as the Kubernetes operator runs
 * each job in a deployment of its own: so that killing one job's processes leaves the others
 * running, as in production. The cluster has ZooKeeper high availability, as the deployments have
 * Kubernetes HA: a JobManager started in place of a killed one recovers the job (same id) from its
 * last completed checkpoint.
 */
final class ChaosJob implements AutoCloseable {
    private static final String ENTRY_CLASS = "io.tributary.cli.ApplicationMain";

    private final String name;
    private final FlinkProcessCluster cluster;
    private String jobId;

    private ChaosJob(String name, FlinkProcessCluster cluster) {
        this.name = name;
        this.cluster = cluster;
    }

    /**
     * Starts {@code job} ({@code tributary run <job> --profile production -D...}) with checkpoints
     * every 2 s and restarts within 5 s, so that a short run sees several of both; the rest is the
     * production profile as the FlinkDeployment runs it.
     *
     * @param work an empty directory of this job's: configuration, temporary files, checkpoints
     * @param parallelism the job's parallelism; its TaskManager has 2 slots
     * @param options the job's {@code -D} options besides the checkpoint ones
     * @param environment the processes' environment, e.g. the tokenization key
     * @param zooKeeper the high-availability services, shared by the run's clusters (each has a cluster id of its own)
     */
    static ChaosJob start(String job, String clusterName, Path jobJar, Path work, int parallelism,
            Map<String, String> options, Map<String, String> environment, ZooKeeperProcess zooKeeper) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        all.put("execution.checkpointing.interval", "2s");
        all.put("execution.checkpointing.min-pause", "500ms");
        all.put("restart-strategy.exponential-delay.max-backoff", "5s");
        List<String> args = new ArrayList<>(List.of("run", job, "--profile", "production"));
        all.forEach((key, value) -> args.add("-D" + key + "=" + value));

        Map<String, String> cluster = new LinkedHashMap<>();
        cluster.put("execution.attached", "false");
        cluster.put("parallelism.default", String.valueOf(parallelism));
        // A killed TaskManager is noticed within seconds, not the default 50 s.
        cluster.put("heartbeat.interval", "1000");
        cluster.put("heartbeat.timeout", "5000");
        cluster.put("high-availability.type", "zookeeper");
        cluster.put("high-availability.zookeeper.quorum", zooKeeper.connectString());
        cluster.put("high-availability.cluster-id", clusterName);
        cluster.put("high-availability.storageDir", work.resolve("ha").toUri().toString());
        // A killed JobManager's leadership lasts until its ZooKeeper session expires (60 s by
        // default): its replacement waits that long before it recovers the job.
        cluster.put("high-availability.zookeeper.client.session-timeout", "10000");
        // The client compiler only: these JVMs live for minutes on two cores shared by the whole run, where
        // the optimizing compiler's threads slowed every start and recovery (ChaosRunIT: 155 s instead of
        // 210 s). What a job does does not depend on it.
        cluster.put("env.java.opts.all", "-XX:TieredStopAtLevel=1");
        // The jobs' own loggers at DEBUG, so that the canary search covers what they log at their most verbose.
        return new ChaosJob(job, FlinkProcessCluster.startApplication(clusterName, Files.createDirectories(work), jobJar,
                ENTRY_CLASS, cluster, environment, args, Map.of("io.tributary", "DEBUG")));
    }

    String name() {
        return name;
    }

    /** Waits until the job runs; the first time, notes its id. */
    void awaitRunning(Duration timeout) throws IOException {
        cluster.awaitRunning(name, timeout);
        if (jobId == null) {
            jobId = cluster.jobId(name).orElseThrow();
        }
    }

    String jobId() {
        return jobId;
    }

    /**
     * The id of the job's latest completed checkpoint that the current JobManager reports: ids only
     * grow, across restarts and JobManagers; 0 before a new JobManager completed one, -1 when it
     * does not answer.
     */
    long checkpoints() {
        return cluster.latestCompletedCheckpoint(jobId);
    }

    /** Waits until the job runs and has completed a checkpoint after {@code checkpoints}. */
    void awaitCheckpointAfter(long checkpoints, Duration timeout) throws IOException, InterruptedException {
        awaitRunning(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (checkpoints() <= checkpoints) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": no checkpoint completed within " + timeout.toSeconds()
                        + " s after checkpoint " + checkpoints + "; the JobManager's log ends:" + System.lineSeparator()
                        + cluster.logTail());
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILLs the running TaskManager; returns its pid. */
    long killTaskManager() throws InterruptedException {
        return cluster.killTaskManager();
    }

    /** Starts a TaskManager in place of a killed one, as Kubernetes would. */
    void startTaskManager() throws IOException {
        cluster.startTaskManager();
    }

    /** SIGKILLs the JobManager; returns its pid. */
    long killJobManager() throws InterruptedException {
        return cluster.killJobManager();
    }

    /** Starts a JobManager in place of a killed one, as Kubernetes would; it recovers the job. */
    void startJobManager() throws IOException {
        cluster.startJobManager();
    }

    @Override
    public void close() throws InterruptedException {
        cluster.close();
    }
}
