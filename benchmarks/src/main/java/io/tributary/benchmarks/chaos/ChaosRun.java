package io.tributary.benchmarks.chaos;

import io.tributary.contracts.TopicContract;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.flink.FlinkProcessCluster;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.localstack.pipeline.TributaryTopics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run: transactions-enrichment in a real Flink cluster of OS processes (an
 * application-mode JobManager and a TaskManager), generated payments written at a steady rate
 * while the TaskManager is SIGKILLed and replaced, some kills right after a checkpoint completed,
 * and the registry frozen for a while; then the outputs are read with read_committed and compared
 * with the {@link Oracle}. The broker and registry are the caller's.
 */
final class ChaosRun {
    static final String JOB = "transactions-enrichment";
    private static final String ENTRY_CLASS = "io.tributary.cli.ApplicationMain";
    /** Built by {@code mvn package} of streaming-jobs; relative to the benchmarks module. */
    static final Path JOB_JAR = Path.of("..", "streaming-jobs", "target", "tributary-job.jar");
    /** How long the job may take to come back after a fault: a new TaskManager, restore, a checkpoint. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(2);
    /** Payments a second written after the measured input, whose event times move the watermark on. */
    private static final int TAIL_RATE = 20;

    /**
     * What to run.
     *
     * @param payments payment records to write
     * @param seed the generator's seed and the schedule's
     * @param rate payment records written per second
     * @param kills TaskManager kills; every other one (the first included) right after a checkpoint
     *     completed, except the one inside the registry outage
     * @param registryOutage how long the registry is frozen, around one of the kills; zero for none
     * @param brokerRestart whether to SIGKILL and restart the broker once, between the first two kills
     *     (the broker must run in a child JVM)
     * @param settle how long to wait for the last outputs once everything is written
     * @param work an empty directory for the cluster's files and checkpoints
     */
    record Settings(long payments, long seed, int rate, int kills, Duration registryOutage, boolean brokerRestart,
            Duration settle, Path work) {}

    private final KafkaBroker kafka;
    private final SchemaRegistryServer registry;
    private final Settings settings;
    private final PrintStream log;
    private final List<Fault> faults = new ArrayList<>();
    private final Oracle oracle = new Oracle();
    private final Set<String> tailIds = ConcurrentHashMap.newKeySet();
    private long startedNanos;

    ChaosRun(KafkaBroker kafka, SchemaRegistryServer registry, Settings settings, PrintStream log) {
        this.kafka = kafka;
        this.registry = registry;
        this.settings = settings;
        this.log = log;
    }

    ChaosReport run() throws Exception {
        if (!Files.isRegularFile(JOB_JAR)) {
            throw new IllegalStateException("The job jar " + JOB_JAR.toAbsolutePath().normalize()
                    + " is missing: build streaming-jobs with mvn package");
        }
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        String prefix = "chaos-" + settings.seed() + "-" + System.currentTimeMillis() + ".";
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        Instant start = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
        // One event a millisecond of event time; the tail an hour after the input, so that its
        // watermark releases every payment the job still holds.
        PaymentEventGenerator input = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(settings.seed()).accounts(10_000).merchants(500).start(start).meanGap(Duration.ofMillis(1))
                .lateAfter(settings.payments() / 10));
        Instant tailStart = start.plusMillis(settings.payments()).plus(Duration.ofHours(1));
        PaymentEventGenerator tail = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(settings.seed() + 1).accounts(100).merchants(20).start(tailStart).meanGap(Duration.ofSeconds(1))
                .duplicateRate(0).malformedRate(0).late(0, Duration.ofMinutes(10)));

        try (TrafficWriter writer = new TrafficWriter(kafka.bootstrapServers(), pipeline.registryConfig(), prefix);
                FlinkProcessCluster cluster = startCluster(prefix)) {
            writer.writeReferenceData(input.accounts(), input.merchants(),
                    input.fxRates(start, tailStart.plus(Duration.ofHours(2))));
            writer.flush();
            cluster.awaitRunning(JOB, RECOVERY_TIMEOUT);
            String jobId = cluster.jobId(JOB).orElseThrow();
            awaitCheckpointAfter(cluster, jobId, 0);
            log.printf("chaos: %s running (job %s); writing %,d payments at %,d/s%n", JOB, jobId, settings.payments(),
                    settings.rate());

            PaymentWriter payments = new PaymentWriter(writer, input, tail);
            Thread writing = new Thread(payments, "chaos-payments");
            writing.setDaemon(true);
            startedNanos = System.nanoTime();
            writing.start();
            injectFaults(cluster, jobId);
            payments.awaitInput(Duration.ofSeconds(settings.payments() / Math.max(1, settings.rate())).plus(RECOVERY_TIMEOUT));
            log.printf("chaos: input written at %.1f s; waiting for the outputs%n", elapsed().toMillis() / 1000.0);
            return settle(cluster, jobId, payments, prefix);
        }
    }

    private FlinkProcessCluster startCluster(String prefix) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("tributary.kafka.bootstrap-servers", kafka.bootstrapServers());
        options.put("tributary.registry.url", registry.url());
        options.put("tributary.kafka.group-id", prefix + "enrichment");
        options.put("tributary.kafka.starting-offsets", "EARLIEST");
        options.put("tributary.enrichment.transactional-id-prefix", prefix + "enrichment");
        options.put("tributary.topics.transactions", prefix + TopicContract.TRANSACTIONS.topic());
        options.put("tributary.topics.accounts", prefix + TopicContract.ACCOUNT_PROFILES.topic());
        options.put("tributary.topics.merchants", prefix + TopicContract.MERCHANTS.topic());
        options.put("tributary.topics.fx-rates", prefix + TopicContract.FX_RATES.topic());
        options.put("tributary.topics.enriched", prefix + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.put("tributary.topics.late", prefix + TopicContract.LATE_TRANSACTIONS.topic());
        options.put("tributary.topics.dead-letters", prefix + TopicContract.DEAD_LETTERS.topic());
        options.put("execution.checkpointing.dir", settings.work().resolve("checkpoints").toUri().toString());
        // Checkpoints every 2 s and restarts within 5 s, so that a short run sees several of both;
        // the rest is the production profile as the FlinkDeployment runs it.
        options.put("execution.checkpointing.interval", "2s");
        options.put("execution.checkpointing.min-pause", "500ms");
        options.put("restart-strategy.exponential-delay.max-backoff", "5s");
        List<String> args = new ArrayList<>(List.of("run", JOB, "--profile", "production"));
        options.forEach((key, value) -> args.add("-D" + key + "=" + value));

        Map<String, String> cluster = new LinkedHashMap<>();
        cluster.put("execution.attached", "false");
        cluster.put("parallelism.default", "2");
        // A killed TaskManager is noticed within seconds, not the default 50 s.
        cluster.put("heartbeat.interval", "1000");
        cluster.put("heartbeat.timeout", "5000");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return FlinkProcessCluster.startApplication("chaos-" + settings.seed(), Files.createDirectories(settings.work()),
                JOB_JAR, ENTRY_CLASS, cluster, Map.of("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(key)),
                args);
    }

    /**
     * Kills the TaskManager {@code kills} times, spread over the writing with random jitter, each
     * once the job has recovered from the last and completed a checkpoint since; the even-numbered
     * ones the moment the JobManager reports a new completed checkpoint, when its transactions are
     * committed or about to be. The registry freeze starts 5 s before the middle kill, so that the
     * job restarts while the registry does not answer. The broker restart, if any, comes
     * halfway between the first two kills.
     */
    private void injectFaults(FlinkProcessCluster cluster, String jobId) throws Exception {
        Random random = new Random(settings.seed());
        double writingSeconds = (double) settings.payments() / settings.rate();
        int outageBefore = settings.registryOutage().isZero() ? -1 : settings.kills() / 2;
        long checkpointsAtLastKill = cluster.completedCheckpoints(jobId);
        for (int i = 0; i < settings.kills(); i++) {
            double at = writingSeconds * (i + 0.25 + 0.5 * random.nextDouble()) / settings.kills();
            if (i == 1 && settings.brokerRestart()) {
                sleepUntil(at - writingSeconds / settings.kills() / 2);
                awaitRecovered(cluster, jobId, checkpointsAtLastKill);
                restartBroker();
                checkpointsAtLastKill = cluster.completedCheckpoints(jobId);
            }
            if (i == outageBefore) {
                // The kill comes 5 s into the outage, so that the new TaskManager's job meets a
                // registry that does not answer.
                sleepUntil(at - 5);
                awaitRecovered(cluster, jobId, checkpointsAtLastKill);
                freezeRegistry();
                Thread.sleep(5000);
            } else {
                sleepUntil(at);
                awaitRecovered(cluster, jobId, checkpointsAtLastKill);
            }
            // Not the kill inside the outage: no checkpoint completed while the registry was frozen
            // in the runs so far, so waiting for one would push the kill past the outage.
            boolean afterCheckpoint = i % 2 == 0 && i != outageBefore;
            String detail;
            if (afterCheckpoint) {
                long seen = cluster.completedCheckpoints(jobId);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (cluster.completedCheckpoints(jobId) <= seen && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                boolean completed = cluster.completedCheckpoints(jobId) > seen;
                long pid = cluster.killTaskManager();
                detail = "pid " + pid + (completed ? ", right after checkpoint " + (seen + 1) + " completed"
                        : ", no checkpoint completed within 30 s");
            } else {
                detail = "pid " + cluster.killTaskManager() + ", at a random moment";
            }
            checkpointsAtLastKill = cluster.completedCheckpoints(jobId);
            faults.add(new Fault("SIGKILL TaskManager", elapsed(), detail));
            log.printf("chaos: %.1f s: killed the TaskManager (%s); starting a new one%n", elapsed().toMillis() / 1000.0,
                    detail);
            cluster.startTaskManager();
        }
        awaitRecovered(cluster, jobId, checkpointsAtLastKill);
    }

    private void restartBroker() throws InterruptedException {
        long pid = kafka.pid();
        Duration before = elapsed();
        kafka.killAndRestart();
        faults.add(new Fault("SIGKILL broker, restarted", before, "pid " + pid + ", answering again after "
                + (elapsed().minus(before).toMillis() / 100) / 10.0 + " s as pid " + kafka.pid()));
        log.printf("chaos: %.1f s: killed the broker (pid %d); it answers again at %.1f s%n", before.toMillis() / 1000.0,
                pid, elapsed().toMillis() / 1000.0);
    }

    /**
     * Freezes the registry's process (SIGSTOP) for the outage and resumes it (SIGCONT) on a
     * timer: clients see a registry that takes their connection and never answers. A real stop
     * would lose the schemas of the in-memory registry, which the run cannot restore with the same ids.
     */
    private void freezeRegistry() throws IOException, InterruptedException {
        signal("STOP", registry.pid());
        faults.add(new Fault("registry frozen (SIGSTOP)", elapsed(), "for " + settings.registryOutage().toSeconds()
                + " s, pid " + registry.pid()));
        log.printf("chaos: %.1f s: froze the registry for %d s%n", elapsed().toMillis() / 1000.0,
                settings.registryOutage().toSeconds());
        Thread resume = new Thread(() -> {
            try {
                Thread.sleep(settings.registryOutage().toMillis());
                signal("CONT", registry.pid());
                log.printf("chaos: %.1f s: the registry answers again%n", elapsed().toMillis() / 1000.0);
            } catch (IOException | InterruptedException e) {
                log.println("chaos: could not resume the registry: " + e.getMessage());
            }
        }, "chaos-registry-resume");
        resume.setDaemon(true);
        resume.start();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    /** Waits until the job runs and has completed a checkpoint after {@code checkpoints}. */
    private void awaitRecovered(FlinkProcessCluster cluster, String jobId, long checkpoints)
            throws IOException, InterruptedException {
        cluster.awaitRunning(JOB, RECOVERY_TIMEOUT);
        awaitCheckpointAfter(cluster, jobId, checkpoints);
    }

    private static void awaitCheckpointAfter(FlinkProcessCluster cluster, String jobId, long checkpoints)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (cluster.completedCheckpoints(jobId) <= checkpoints) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No checkpoint completed within " + RECOVERY_TIMEOUT.toSeconds()
                        + " s after checkpoint " + checkpoints + "; the JobManager's log ends:" + System.lineSeparator()
                        + cluster.logTail());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Reads the outputs until every expected event and dead letter is there (or the settle time
     * is over), then once more after two further checkpoints, so that a duplicate committed late
     * is counted too.
     */
    private ChaosReport settle(FlinkProcessCluster cluster, String jobId, PaymentWriter payments, String prefix)
            throws Exception {
        try (OutputTally tally = new OutputTally(kafka.bootstrapServers(), registry.url(),
                prefix + TopicContract.ENRICHED_TRANSACTIONS.topic(), prefix + TopicContract.LATE_TRANSACTIONS.topic(),
                prefix + TopicContract.DEAD_LETTERS.topic())) {
            long deadline = System.nanoTime() + settings.settle().toNanos();
            while (System.nanoTime() < deadline) {
                tally.catchUp(Duration.ofSeconds(30));
                if (complete(tally)) {
                    break;
                }
                Thread.sleep(1000);
            }
            payments.stop();
            long checkpoints = cluster.completedCheckpoints(jobId);
            awaitCheckpointAfter(cluster, jobId, checkpoints + 1);
            tally.catchUp(Duration.ofSeconds(60));
            log.printf("chaos: outputs read at %.1f s%n", elapsed().toMillis() / 1000.0);
            return new ChaosReport(List.copyOf(faults), oracle.records(), oracle.expectedIds(), Set.copyOf(tailIds),
                    oracle.rejected(), tally.enriched(), tally.late(), tally.deadLetters(), tally.reasons(),
                    tally.undecodable());
        }
    }

    private boolean complete(OutputTally tally) {
        return tally.deadLetters().size() >= oracle.rejected() && oracle.expectedIds().stream()
                .allMatch(id -> tally.enriched().containsKey(id) || tally.late().containsKey(id));
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private void sleepUntil(double seconds) throws InterruptedException {
        long wait = (long) (seconds * 1000) - elapsed().toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /**
     * Writes the input at the set rate, noting each record in the oracle, then the tail at a
     * trickle until stopped. Runs on a thread of its own, so that the faults do not pause it.
     */
    private final class PaymentWriter implements Runnable {
        private final TrafficWriter writer;
        private final PaymentEventGenerator input;
        private final PaymentEventGenerator tail;
        private final java.util.concurrent.CountDownLatch inputWritten = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean stopped;
        private volatile Exception failure;

        PaymentWriter(TrafficWriter writer, PaymentEventGenerator input, PaymentEventGenerator tail) {
            this.writer = writer;
            this.input = input;
            this.tail = tail;
        }

        @Override
        public void run() {
            try {
                long begin = System.nanoTime();
                for (long i = 0; i < settings.payments(); i++) {
                    GeneratedTransaction generated = input.next();
                    oracle.record(generated);
                    writer.write(generated);
                    // Ahead of the rate: wait for it, a few milliseconds at a time.
                    long due = begin + i * 1_000_000_000L / settings.rate();
                    long ahead = due - System.nanoTime();
                    if (ahead > 2_000_000) {
                        Thread.sleep(ahead / 1_000_000);
                    }
                }
                writer.flush();
                inputWritten.countDown();
                while (!stopped) {
                    GeneratedTransaction generated = tail.next();
                    tailIds.add(generated.transaction().getEventId().toString());
                    writer.write(generated);
                    writer.flush();
                    Thread.sleep(1000 / TAIL_RATE);
                }
            } catch (Exception e) {
                failure = e;
                inputWritten.countDown();
            }
        }

        void awaitInput(Duration timeout) throws Exception {
            if (!inputWritten.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The input was not written within " + timeout.toSeconds() + " s");
            }
            throwIfFailed();
        }

        void stop() throws Exception {
            stopped = true;
            throwIfFailed();
        }

        private void throwIfFailed() throws Exception {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
