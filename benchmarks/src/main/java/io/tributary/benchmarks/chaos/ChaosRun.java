package io.tributary.benchmarks.chaos;

import io.tributary.contracts.TopicContract;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.flink.ZooKeeperProcess;
import io.tributary.events.FxRate;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.HostileRecords;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.localstack.pipeline.TributaryTopics;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One chaos run: transactions-enrichment, fraud-detection, warehouse-sink and live-metrics, each in
 * a real Flink cluster of OS processes of its own (an application-mode JobManager and a TaskManager,
 * with ZooKeeper high availability), generated payments written at a steady rate, hostile records
 * among them ({@link HostileRecords}, and invalid FX rates), while the jobs' TaskManagers and, now
 * and then, JobManagers are SIGKILLed in turn and replaced, some kills right after a checkpoint
 * completed, the broker is killed and restarted, and the registry, Redis and PostgreSQL stopped for
 * a while each; then the outputs are read with read_committed and compared with the {@link Oracle},
 * and what the downstream jobs stored (minute rows, feature hashes, the warehouse's tables) with the
 * topics they read. The servers are the caller's.
 */
final class ChaosRun {
    static final String JOB = "transactions-enrichment";
    static final String FRAUD_JOB = "fraud-detection";
    static final String METRICS_JOB = "live-metrics";
    static final String WAREHOUSE_JOB = "warehouse-sink";
    /** Built by {@code mvn package} of streaming-jobs; relative to the benchmarks module. */
    static final Path JOB_JAR = Path.of("..", "streaming-jobs", "target", "tributary-job.jar");
    /** How long a job may take to come back after a fault: a new TaskManager, restore, a checkpoint. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);
    /** How long a store outage waits, at most, for the jobs on the way to the store to recover from their last fault. */
    private static final Duration STORE_OUTAGE_WAIT = Duration.ofMinutes(3);
    /** The mean event-time gap between two new payments of the input. */
    private static final Duration INPUT_GAP = Duration.ofMillis(10);
    /** Payments a second written after the measured input, whose event times move the watermark on. */
    private static final int TAIL_RATE = 20;
    /**
     * live-metrics' allowed lateness under chaos: restarts hold the watermark of one input back
     * while the other runs on, so that a payment could otherwise come after its minute closed and
     * be dropped from the rows (counted by Flink, not an error); here every payment must count.
     */
    private static final String METRICS_ALLOWED_LATENESS = "6h";
    /** Payments carrying the canaries, spread over the input. */
    private static final int CANARIES = 5;
    /** How many records of each of the {@link HostileRecords#KINDS} are spread over the input. */
    private static final int HOSTILE_OF_EACH_KIND = 2;
    /**
     * FX rates a faulty publisher could send halfway through the input, each of which must become a
     * dead letter and leave the rates in use as they were: zero, and 250 dollars for one euro.
     */
    private static final List<BigDecimal> INVALID_EURO_RATES = List.of(BigDecimal.ZERO, BigDecimal.valueOf(250));

    /**
     * What to run.
     *
     * @param payments payment records to write
     * @param seed the generator's seed and the schedule's
     * @param rate payment records written per second
     * @param kills process kills, in turn of the enrichment's, fraud-detection's, warehouse-sink's and
     *     live-metrics' cluster: every third one its JobManager, the others its TaskManager; every
     *     other one (the first included) right after a checkpoint of the job hit completed, except
     *     the one inside the registry outage
     * @param registryOutage how long the registry is stopped, around one of the kills; zero for none
     * @param brokerRestart whether to SIGKILL and restart the broker once, between the first two kills
     *     (the broker must run in a child JVM)
     * @param storeOutage how long Redis, then PostgreSQL, is stopped while the payments flow (from 30%
     *     and 60% of the writing on); zero for none
     * @param settle how long to wait for the last outputs once everything is written
     * @param work an empty directory for the clusters' files and checkpoints
     */
    record Settings(long payments, long seed, int rate, int kills, Duration registryOutage, boolean brokerRestart,
            Duration storeOutage, Duration settle, Path work) {}

    private final KafkaBroker kafka;
    private final SchemaRegistryServer registry;
    private final RedisServer redis;
    private final PostgresServer postgres;
    private final Settings settings;
    private final PrintStream log;
    /** Added by the kill loop and by the store outages' thread. */
    private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    /** The threads that start stopped servers again: the checks wait for them. */
    private final List<Thread> restarts = Collections.synchronizedList(new ArrayList<>());
    /** Why a server outage could not be injected or ended: the run then fails rather than report it clean. */
    private volatile Exception outageFailure;
    private final Oracle oracle = new Oracle();
    /** The key the enrichment and warehouse-sink tokenize with, as one secret shared by both in production. */
    private final String tokenizationKey = newTokenizationKey();
    private final Set<String> tailIds = ConcurrentHashMap.newKeySet();
    /** The accounts the tail pays from. */
    private Set<String> tailAccounts = Set.of();
    /** Event ids of the payments carrying the {@link Canaries} in clear. */
    private final Set<String> canaryIds = ConcurrentHashMap.newKeySet();
    /** Per job, the id of its latest completed checkpoint at the last fault that hit it: recovered means a later one. */
    private final Map<ChaosJob, Long> checkpointsAtLastFault = new ConcurrentHashMap<>();
    private long startedNanos;
    /** When the last payment of the input was written, from the first. */
    private Duration inputWritten = Duration.ZERO;

    ChaosRun(KafkaBroker kafka, SchemaRegistryServer registry, RedisServer redis, PostgresServer postgres,
            Settings settings, PrintStream log) {
        this.kafka = kafka;
        this.registry = registry;
        this.redis = redis;
        this.postgres = postgres;
        this.settings = settings;
        this.log = log;
    }

    ChaosReport run() throws Exception {
        if (!Files.isRegularFile(JOB_JAR)) {
            throw new IllegalStateException("The job jar " + JOB_JAR.toAbsolutePath().normalize()
                    + " is missing: build streaming-jobs with mvn package");
        }
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        long now = System.currentTimeMillis();
        String prefix = "chaos-" + settings.seed() + "-" + now + ".";
        String database = "chaos_" + settings.seed() + "_" + now;
        postgres.createDatabase(database);
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        // One event every 10 ms of event time on average: a minute of event time closes every 6,000
        // payments, so that live-metrics writes minute rows to PostgreSQL while the payments flow
        // (and its outage meets writes). The tail an hour after the input, so that its watermark
        // releases every payment the jobs still hold; all of it in the past.
        Duration inputSpan = INPUT_GAP.multipliedBy(settings.payments());
        Instant start = Instant.now().minus(inputSpan).minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
        // Fraud patterns, so that fraud-detection raises alerts whose ids can be checked.
        PaymentEventGenerator input = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(settings.seed()).accounts(10_000).merchants(500).start(start).meanGap(INPUT_GAP)
                .lateAfter(settings.payments() / 10).fraudRate(0.002));
        Instant tailStart = start.plus(inputSpan).plus(Duration.ofHours(1));
        PaymentEventGenerator tail = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(settings.seed() + 1).accounts(100).merchants(20).start(tailStart).meanGap(Duration.ofSeconds(1))
                .duplicateRate(0).malformedRate(0).late(0, Duration.ofMinutes(10)));
        tailAccounts = tail.accounts().stream().map(a -> a.getAccountId().toString()).collect(Collectors.toSet());
        StoreReader stores = new StoreReader(postgres.jdbcUrl(database), postgres.user(), redis.host(), redis.port(),
                prefix + "features:");

        Path warehouse = Files.createDirectories(settings.work().resolve("warehouse").resolve("tables"));
        try (ZooKeeperProcess zooKeeper = ZooKeeperProcess.start(settings.work().resolve("zookeeper"),
                        Path.of("target", "test-logs", "chaos-" + settings.seed() + "-zookeeper.log"));
                TrafficWriter writer = new TrafficWriter(kafka.bootstrapServers(), pipeline.registryConfig(), prefix);
                ChaosJob enrichment = startEnrichment(prefix, zooKeeper);
                ChaosJob fraud = startFraud(prefix, zooKeeper);
                ChaosJob warehouseSink = startWarehouse(prefix, warehouse, zooKeeper);
                ChaosJob metrics = startMetrics(prefix, database, zooKeeper)) {
            writer.writeReferenceData(input.accounts(), input.merchants(),
                    input.fxRates(start, tailStart.plus(Duration.ofHours(2))));
            FraudRules.all().forEach(writer::writeRule);
            writer.flush();
            List<ChaosJob> jobs = List.of(enrichment, fraud, warehouseSink, metrics);
            for (ChaosJob job : jobs) {
                job.awaitCheckpointAfter(0, RECOVERY_TIMEOUT);
                checkpointsAtLastFault.put(job, job.checkpoints());
                log.printf("chaos: %s running (job %s)%n", job.name(), job.jobId());
            }
            log.printf("chaos: writing %,d payments at %,d/s%n", settings.payments(), settings.rate());

            PaymentWriter payments = new PaymentWriter(writer, input, tail, new HostileRecords(settings.seed()));
            Thread writing = new Thread(payments, "chaos-payments");
            writing.setDaemon(true);
            startedNanos = System.nanoTime();
            writing.start();
            Thread storeOutages = startStoreOutages(List.of(enrichment, fraud), List.of(enrichment, metrics));
            injectFaults(jobs);
            payments.awaitInput(Duration.ofSeconds(settings.payments() / Math.max(1, settings.rate())).plus(RECOVERY_TIMEOUT));
            inputWritten = elapsed();
            log.printf("chaos: input written at %.1f s; waiting for the outputs%n", inputWritten.toMillis() / 1000.0);
            awaitRestarted(storeOutages);
            // The input's event times end about start + inputSpan; the tail's begin an hour later,
            // some a little before tailStart (out of order): the minute rows of the input are those
            // before the half hour in between.
            WarehouseReader tables = new WarehouseReader(warehouse);
            CanarySearch canaries = canarySearch(prefix, database, tables);
            ChaosReport report = settle(jobs, payments, prefix, stores, tables,
                    start.plus(inputSpan).plus(Duration.ofMinutes(30)), canaries);
            stopSideBySide(jobs);
            return report;
        }
    }

    /** Stops the clusters at the same time rather than in turn; closing them again is then a no-op. */
    private static void stopSideBySide(List<ChaosJob> jobs) throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (ChaosJob job : jobs) {
            Thread stop = new Thread(() -> {
                try {
                    job.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "chaos-stop-" + job.name());
            stop.start();
            stopping.add(stop);
        }
        for (Thread stop : stopping) {
            stop.join();
        }
    }

    private Map<String, String> kafkaOptions(String prefix, String group) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("tributary.kafka.bootstrap-servers", kafka.bootstrapServers());
        options.put("tributary.registry.url", registry.url());
        options.put("tributary.kafka.group-id", prefix + group);
        options.put("tributary.kafka.starting-offsets", "EARLIEST");
        options.put("tributary.topics.enriched", prefix + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.put("tributary.topics.dead-letters", prefix + TopicContract.DEAD_LETTERS.topic());
        return options;
    }

    private ChaosJob startEnrichment(String prefix, ZooKeeperProcess zooKeeper) throws IOException {
        Map<String, String> options = kafkaOptions(prefix, "enrichment");
        options.put("tributary.enrichment.transactional-id-prefix", prefix + "enrichment");
        options.put("tributary.topics.transactions", prefix + TopicContract.TRANSACTIONS.topic());
        options.put("tributary.topics.accounts", prefix + TopicContract.ACCOUNT_PROFILES.topic());
        options.put("tributary.topics.merchants", prefix + TopicContract.MERCHANTS.topic());
        options.put("tributary.topics.fx-rates", prefix + TopicContract.FX_RATES.topic());
        options.put("tributary.topics.late", prefix + TopicContract.LATE_TRANSACTIONS.topic());
        return ChaosJob.start(JOB, "chaos-" + settings.seed(), JOB_JAR, settings.work().resolve("enrichment"), 2, options,
                Map.of("TRIBUTARY_TOKENIZATION_KEY", tokenizationKey), zooKeeper);
    }

    private static String newTokenizationKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** warehouse-sink, its Hadoop catalog in {@code warehouse}: raw payments, changelogs, enriched payments, alerts. */
    private ChaosJob startWarehouse(String prefix, Path warehouse, ZooKeeperProcess zooKeeper) throws IOException {
        Map<String, String> options = kafkaOptions(prefix, "warehouse");
        // It writes no dead letters: the enrichment, reading the same input, dead-letters what neither can decode.
        options.remove("tributary.topics.dead-letters");
        options.put("tributary.topics.transactions", prefix + TopicContract.TRANSACTIONS.topic());
        options.put("tributary.topics.accounts", prefix + TopicContract.ACCOUNT_PROFILES.topic());
        options.put("tributary.topics.merchants", prefix + TopicContract.MERCHANTS.topic());
        options.put("tributary.topics.fx-rates", prefix + TopicContract.FX_RATES.topic());
        options.put("tributary.topics.fraud-alerts", prefix + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.warehouse.location", warehouse.toUri().toString());
        options.put("tributary.warehouse.namespace", WarehouseReader.NAMESPACE);
        return ChaosJob.start(WAREHOUSE_JOB, "chaos-" + settings.seed() + "-warehouse", JOB_JAR,
                settings.work().resolve("warehouse"), 1, options, Map.of("TRIBUTARY_TOKENIZATION_KEY", tokenizationKey),
                zooKeeper);
    }

    private ChaosJob startFraud(String prefix, ZooKeeperProcess zooKeeper) throws IOException {
        Map<String, String> options = kafkaOptions(prefix, "fraud");
        options.put("tributary.fraud.transactional-id-prefix", prefix + "fraud");
        options.put("tributary.topics.fraud-rules", prefix + TopicContract.FRAUD_RULES.topic());
        options.put("tributary.topics.fraud-alerts", prefix + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.topics.erasure-requests", prefix + TopicContract.ERASURE_REQUESTS.topic());
        options.put("tributary.redis.host", redis.host());
        options.put("tributary.redis.port", String.valueOf(redis.port()));
        options.put("tributary.redis.key-prefix", prefix + "features:");
        return ChaosJob.start(FRAUD_JOB, "chaos-" + settings.seed() + "-fraud", JOB_JAR, settings.work().resolve("fraud"),
                1, options, Map.of(), zooKeeper);
    }

    private ChaosJob startMetrics(String prefix, String database, ZooKeeperProcess zooKeeper) throws IOException {
        Map<String, String> options = kafkaOptions(prefix, "metrics");
        options.put("tributary.metrics.transactional-id-prefix", prefix + "metrics");
        options.put("tributary.topics.fraud-alerts", prefix + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.postgres.url", postgres.jdbcUrl(database));
        options.put("tributary.postgres.user", postgres.user());
        options.put("tributary.metrics.allowed-lateness", METRICS_ALLOWED_LATENESS);
        return ChaosJob.start(METRICS_JOB, "chaos-" + settings.seed() + "-metrics", JOB_JAR,
                settings.work().resolve("metrics"), 1, options, Map.of(), zooKeeper);
    }

    /**
     * Kills a job's process {@code kills} times, the enrichment's, fraud-detection's,
     * warehouse-sink's and live-metrics' in turn, spread over the writing with random jitter, each
     * once the job it hits has recovered from its last fault and completed a checkpoint since (the
     * broker restart and the registry outage wait for every job). Every third kill (the third, the
     * sixth...) hits the JobManager, the others a TaskManager. The even-numbered ones come the
     * moment the JobManager of the job hit reports a new completed checkpoint, when its
     * transactions are committed or about to be. The registry outage starts 5 s before the middle
     * kill, so that a job restarts while the registry does not answer. The broker restart, if any,
     * comes halfway between the first two kills.
     */
    private void injectFaults(List<ChaosJob> jobs) throws Exception {
        Random random = new Random(settings.seed());
        double writingSeconds = (double) settings.payments() / settings.rate();
        int outageBefore = settings.registryOutage().isZero() ? -1 : settings.kills() / 2;
        for (int i = 0; i < settings.kills(); i++) {
            ChaosJob job = jobs.get(i % jobs.size());
            double at = writingSeconds * (i + 0.25 + 0.5 * random.nextDouble()) / settings.kills();
            if (i == 1 && settings.brokerRestart()) {
                sleepUntil(at - writingSeconds / settings.kills() / 2);
                awaitRecovered(jobs);
                restartBroker();
                noteCheckpoints(jobs);
            }
            if (i == outageBefore) {
                // The kill comes 5 s into the outage, so that the new TaskManager's job meets a
                // registry that does not answer.
                sleepUntil(at - 5);
                awaitRecovered(jobs);
                stopRegistry();
                Thread.sleep(5000);
            } else {
                sleepUntil(at);
                // Only the job hit: the others run in clusters of their own, so that one's
                // recovery may overlap the next kill of another, as in production.
                awaitRecovered(List.of(job));
            }
            // Not the kill inside the outage: no checkpoint completed while the registry was away
            // in the runs so far, so waiting for one would push the kill past the outage.
            boolean afterCheckpoint = i % 2 == 0 && i != outageBefore;
            boolean jobManager = i % 3 == 2;
            // Noted before the kill: a killed JobManager answers nothing, its replacement 0 until it completes one.
            noteCheckpoints(List.of(job));
            String moment = "at a random moment";
            if (afterCheckpoint) {
                long seen = job.checkpoints();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (job.checkpoints() <= seen && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                long completed = job.checkpoints();
                moment = completed > seen ? "right after checkpoint " + completed + " completed"
                        : "no checkpoint completed within 30 s";
            }
            String process = jobManager ? "JobManager" : "TaskManager";
            long pid = jobManager ? job.killJobManager() : job.killTaskManager();
            // And after it: the checkpoint it followed (a killed JobManager answers -1, kept below the max).
            noteCheckpoints(List.of(job));
            String detail = job.name() + ", pid " + pid + ", " + moment;
            faults.add(new Fault("SIGKILL " + process, elapsed(), detail));
            log.printf("chaos: %.1f s: killed a %s (%s); starting a new one%n", elapsed().toMillis() / 1000.0, process,
                    detail);
            if (jobManager) {
                job.startJobManager();
            } else {
                job.startTaskManager();
            }
        }
        awaitRecovered(jobs);
    }

    /** Notes each job's latest completed checkpoint as of now, keeping the higher one noted before. */
    private void noteCheckpoints(List<ChaosJob> jobs) {
        jobs.forEach(job -> checkpointsAtLastFault.merge(job, job.checkpoints(), Math::max));
    }

    /** Waits until each of {@code jobs} runs and has completed a checkpoint since the last fault that hit it. */
    private void awaitRecovered(List<ChaosJob> jobs) throws IOException, InterruptedException {
        for (ChaosJob job : jobs) {
            job.awaitCheckpointAfter(checkpointsAtLastFault.get(job), RECOVERY_TIMEOUT);
        }
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

    /** Stops the registry for the outage: every job that restarts meanwhile meets no registry. */
    private void stopRegistry() {
        outage("registry", registry::stop, registry::restart, settings.registryOutage(), "");
    }

    /**
     * Waits until each of {@code jobs} has completed a checkpoint since the last fault that hit
     * it, as noted at each poll (the kills go on meanwhile), for at most {@link #STORE_OUTAGE_WAIT};
     * says how it went, for the fault's detail: an outage is injected either way.
     */
    private String awaitRecoveredBeforeOutage(List<ChaosJob> jobs) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + STORE_OUTAGE_WAIT.toNanos();
        while (!jobs.stream().allMatch(job -> job.checkpoints() > checkpointsAtLastFault.get(job))) {
            if (System.nanoTime() > deadline) {
                return "; " + names(jobs) + " not all recovered after " + STORE_OUTAGE_WAIT.toSeconds() + " s";
            }
            Thread.sleep(500);
        }
        return "; " + names(jobs) + " running, after waiting " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                + " s";
    }

    private static String names(List<ChaosJob> jobs) {
        return String.join(" and ", jobs.stream().map(ChaosJob::name).toList());
    }

    /**
     * Stops Redis at 30% of the writing and PostgreSQL at 60%, each for the store outage, on a
     * thread of its own, so that the kills go on meanwhile; each once the jobs on the way to the
     * store's writer run and have completed a checkpoint since the last fault that hit them, so
     * that payments flow to the writer and the outage meets writes, not a job still recovering.
     *
     * @param toRedis the jobs whose output reaches Redis: the enrichment and fraud-detection
     * @param toPostgres the enrichment and live-metrics
     */
    private Thread startStoreOutages(List<ChaosJob> toRedis, List<ChaosJob> toPostgres) {
        Thread outages = new Thread(() -> {
            if (settings.storeOutage().isZero()) {
                return;
            }
            double writingSeconds = (double) settings.payments() / settings.rate();
            try {
                sleepUntil(writingSeconds * 0.3);
                String waited = awaitRecoveredBeforeOutage(toRedis);
                outage("Redis", redis::stop, redis::restart, settings.storeOutage(), waited);
                sleepUntil(writingSeconds * 0.6);
                waited = awaitRecoveredBeforeOutage(toPostgres);
                outage("PostgreSQL", postgres::stop, postgres::restart, settings.storeOutage(), waited);
            } catch (InterruptedException | RuntimeException e) {
                outageFailure = e;
            }
        }, "chaos-store-outages");
        outages.setDaemon(true);
        outages.start();
        return outages;
    }

    /**
     * Waits until the store outages were scheduled and every stopped server was started again;
     * fails when an outage could not be injected or ended, as a run without it would not test
     * what its table says.
     */
    private void awaitRestarted(Thread storeOutages) throws InterruptedException {
        storeOutages.join();
        List<Thread> pending;
        synchronized (restarts) {
            pending = List.copyOf(restarts);
        }
        for (Thread restart : pending) {
            restart.join();
        }
        if (outageFailure != null) {
            throw new IllegalStateException("A server outage failed: " + outageFailure.getMessage(), outageFailure);
        }
    }

    /**
     * Stops a server's process, as an operator or a failed host does, and starts it again on the
     * same port after {@code outage}, on a timer: clients are refused meanwhile. The servers keep
     * their data across it (snapshot, data directory, database file), as deployed ones do.
     */
    private void outage(String server, Runnable stop, Runnable restart, Duration outage, String waited) {
        stop.run();
        String detail = "for " + outage.toSeconds() + " s, then started again on its port" + waited;
        faults.add(new Fault(server + " stopped", elapsed(), detail));
        log.printf("chaos: %.1f s: stopped %s (%s)%n", elapsed().toMillis() / 1000.0, server, detail);
        Thread restarting = new Thread(() -> {
            try {
                Thread.sleep(outage.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                restart.run();
                log.printf("chaos: %.1f s: %s answers again%n", elapsed().toMillis() / 1000.0, server);
            } catch (RuntimeException e) {
                outageFailure = e;
            }
        }, "chaos-restart-" + server);
        restarting.setDaemon(true);
        restarting.start();
        restarts.add(restarting);
    }

    /**
     * Reads the outputs and the stores until every expected event and dead letter is there and
     * the downstream jobs caught up (or the settle time is over), then once more after a further
     * checkpoint of every job, so that a duplicate committed late is counted too. The warehouse's
     * tables are read before the topics each time: what warehouse-sink committed was on its topic
     * before, so that the comparison cannot take a record the tally has not read yet for one made up.
     */
    private ChaosReport settle(List<ChaosJob> jobs, PaymentWriter payments, String prefix, StoreReader stores,
            WarehouseReader tables, Instant inputMinutesEnd, CanarySearch canarySearch) throws Exception {
        try (OutputTally tally = new OutputTally(kafka.bootstrapServers(), registry.url(),
                prefix + TopicContract.ENRICHED_TRANSACTIONS.topic(), prefix + TopicContract.LATE_TRANSACTIONS.topic(),
                prefix + TopicContract.DEAD_LETTERS.topic(), prefix + TopicContract.FRAUD_ALERTS.topic())) {
            long deadline = System.nanoTime() + settings.settle().toNanos();
            Duration settledAfter = null;
            while (System.nanoTime() < deadline) {
                tally.catchUp(Duration.ofSeconds(30));
                // The tables (a million rows and more) only once the topics and stores hold: they follow the topics.
                if (complete(tally) && downstream(tally, stores, inputMinutesEnd).clean()) {
                    WarehouseReader.Tables inWarehouse = tables.read(oracle.expectedIds(), tailIds);
                    tally.catchUp(Duration.ofSeconds(30));
                    if (warehouse(tally, inWarehouse).clean()) {
                        settledAfter = elapsed().minus(inputWritten);
                        break;
                    }
                }
                Thread.sleep(1000);
            }
            payments.stop();
            // Each job's count is noted before waiting on any, so that the jobs' further checkpoints
            // (one begun after this moment, hence the + 1) are awaited side by side, not in turn.
            Map<ChaosJob, Long> checkpointsNow = new LinkedHashMap<>();
            jobs.forEach(job -> checkpointsNow.put(job, job.checkpoints()));
            for (ChaosJob job : jobs) {
                job.awaitCheckpointAfter(checkpointsNow.get(job) + 1, RECOVERY_TIMEOUT);
            }
            WarehouseReader.Tables inWarehouse = tables.read(oracle.expectedIds(), tailIds);
            tally.catchUp(Duration.ofMinutes(5)); // to the end: returns as soon as it is there
            DownstreamReport downstream = downstream(tally, stores, inputMinutesEnd);
            WarehouseReport warehouse = warehouse(tally, inWarehouse);
            log.printf("chaos: outputs read at %.1f s%n", elapsed().toMillis() / 1000.0);
            // While the jobs still run, so that RocksDB's working files are there to search.
            long delivered = canaryIds.stream().filter(id -> tally.enriched().containsKey(id) || tally.late().containsKey(id))
                    .count();
            CanaryReport canaries = new CanaryReport(canaryIds.size(), delivered, canarySearch.search());
            log.printf("chaos: canaries searched at %.1f s%n", elapsed().toMillis() / 1000.0);
            List<Fault> injected;
            synchronized (faults) {
                injected = faults.stream().sorted(Comparator.comparing(Fault::at)).toList();
            }
            return new ChaosReport(injected, oracle.records(), oracle.expectedIds(), Set.copyOf(tailIds),
                    new TreeMap<>(oracle.expectedReasons()), tally.enriched(), tally.late(), tally.deadLetters(),
                    tally.reasons(), tally.undecodable(), downstream, warehouse, canaries,
                    Optional.ofNullable(settledAfter), settings.settle());
        }
    }

    /**
     * The search for the canaries: every topic of the run (the payments input and the DLQ as
     * controls), Redis, the run's PostgreSQL database, the jobs' log files (as
     * {@code FlinkProcessCluster} names them after each cluster) and each job's work directory.
     */
    private CanarySearch canarySearch(String prefix, String database, WarehouseReader tables) throws IOException {
        List<String> topics = TributaryTopics.newTopics(prefix).stream().map(NewTopic::name).toList();
        Set<String> controls = Set.of(prefix + TopicContract.TRANSACTIONS.topic(), prefix + TopicContract.DEAD_LETTERS.topic());
        List<Path> logs;
        Path logDirectory = Path.of("target", "test-logs");
        try (Stream<Path> files = Files.list(logDirectory)) {
            logs = files.filter(f -> f.getFileName().toString().startsWith("chaos-" + settings.seed() + "-")).sorted().toList();
        }
        Map<String, Path> jobDirectories = new LinkedHashMap<>();
        jobDirectories.put(JOB, settings.work().resolve("enrichment"));
        jobDirectories.put(FRAUD_JOB, settings.work().resolve("fraud"));
        jobDirectories.put(METRICS_JOB, settings.work().resolve("metrics"));
        jobDirectories.put(WAREHOUSE_JOB, settings.work().resolve("warehouse"));
        return new CanarySearch(kafka.bootstrapServers(), topics, controls, redis.host(), redis.port(),
                postgres.jdbcUrl(database), postgres.user(), logs, jobDirectories, tables);
    }

    private boolean complete(OutputTally tally) {
        return tally.deadLetters().size() >= oracle.rejected() && oracle.expectedIds().stream()
                .allMatch(id -> tally.enriched().containsKey(id) || tally.late().containsKey(id));
    }

    /**
     * The downstream checks as of now: the measured input's enriched records (the tail's leave
     * them, as it keeps coming until the end) against the minute rows of the input's minutes
     * (those before {@code inputMinutesEnd}), the accounts' feature hashes and, of the accounts the
     * tail does not pay from, their feature values; every alert, the
     * tail's included, against every enriched event.
     */
    private DownstreamReport downstream(OutputTally tally, StoreReader stores, Instant inputMinutesEnd) {
        Set<String> expected = oracle.expectedIds();
        long enrichedPayments = tally.enriched().entrySet().stream().filter(e -> expected.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        Set<String> accounts = new HashSet<>();
        tally.payments().forEach((event, payment) -> {
            if (expected.contains(event)) {
                accounts.add(payment.account());
            }
        });
        long alertsOnUnknown = tally.alertEvents().values().stream().filter(e -> !tally.enriched().containsKey(e)).count();
        // The tail's payments keep changing their accounts' hashes: those accounts are left out.
        Set<String> checked = new HashSet<>(accounts);
        checked.removeAll(tailAccounts);
        Map<String, String> featureDifferences = AccountFeatures.differences(
                AccountFeatures.expected(tally.payments().values(), checked), stores.accountFeatures(checked));
        return new DownstreamReport(enrichedPayments, stores.minuteRowPayments(inputMinutesEnd), Map.copyOf(tally.alerts()),
                alertsOnUnknown, accounts, stores.accountsWithFeatures(), checked.size(), featureDifferences,
                Map.copyOf(tally.downstreamDeadLetters()));
    }

    /**
     * What the warehouse's tables held when read against the measured input and the topics as read
     * since; alerts about the tail's payments, which keep coming, are left out on both sides.
     */
    private WarehouseReport warehouse(OutputTally tally, WarehouseReader.Tables inWarehouse) {
        Set<String> expected = oracle.expectedIds();
        Set<String> enriched = new HashSet<>();
        tally.enriched().keySet().stream().filter(expected::contains).forEach(enriched::add);
        Set<String> alerts = new HashSet<>();
        tally.alertEvents().forEach((alert, event) -> {
            if (!tailIds.contains(event)) {
                alerts.add(alert);
            }
        });
        return WarehouseReport.of(inWarehouse, oracle.records() - oracle.unreadable(), enriched, alerts);
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
     * trickle until stopped. Runs on a thread of its own, so that the faults do not pause it. Among
     * the input: the canaries, hostile records made from valid payments just written, and halfway
     * through, invalid FX rates.
     */
    private final class PaymentWriter implements Runnable {
        private final TrafficWriter writer;
        private final PaymentEventGenerator input;
        private final PaymentEventGenerator tail;
        private final HostileRecords hostile;
        private final java.util.concurrent.CountDownLatch inputWritten = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean stopped;
        private volatile Exception failure;

        PaymentWriter(TrafficWriter writer, PaymentEventGenerator input, PaymentEventGenerator tail,
                HostileRecords hostile) {
            this.writer = writer;
            this.input = input;
            this.tail = tail;
            this.hostile = hostile;
        }

        @Override
        public void run() {
            try {
                long begin = System.nanoTime();
                long canaryEvery = Math.max(1, settings.payments() / CANARIES);
                long nextCanary = canaryEvery / 2;
                int hostileRecords = HostileRecords.KINDS.size() * HOSTILE_OF_EACH_KIND;
                long hostileEvery = Math.max(1, settings.payments() / (hostileRecords + 1));
                long nextHostile = hostileEvery;
                int hostileWritten = 0;
                for (long i = 0; i < settings.payments(); i++) {
                    GeneratedTransaction generated = input.next();
                    // Only a valid first write: a retry must repeat its original's content, and a
                    // rejected record would not go through the masking.
                    boolean valid = generated.kind() == TrafficKind.VALID;
                    if (i >= nextCanary && canaryIds.size() < CANARIES && valid) {
                        generated.transaction().setCardNumber(Canaries.CARD_NUMBER);
                        generated.transaction().setEmail(Canaries.EMAIL);
                        canaryIds.add(generated.transaction().getEventId().toString());
                        nextCanary += canaryEvery;
                    } else if (i >= nextHostile && hostileWritten < hostileRecords && valid) {
                        // Right after its source, so that a conflicting duplicate follows its first.
                        write(generated);
                        generated = hostile.from(HostileRecords.KINDS.get(hostileWritten % HostileRecords.KINDS.size()),
                                generated.transaction(), Instant.now());
                        hostileWritten++;
                        nextHostile += hostileEvery;
                    }
                    if (i == settings.payments() / 2) {
                        writeInvalidRates(generated.transaction().getEventTime());
                    }
                    write(generated);
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

        private void write(GeneratedTransaction generated) {
            oracle.record(generated);
            writer.write(generated);
        }

        private void writeInvalidRates(Instant validFrom) {
            List<FxRate> rates = INVALID_EURO_RATES.stream().map(rate -> FxRate.newBuilder().setCurrency("EUR")
                    .setRateToUsd(rate.setScale(10)).setValidFrom(validFrom).setSource("chaos").build()).toList();
            writer.writeReferenceData(List.of(), List.of(), rates);
            rates.forEach(rate -> oracle.rejectedReference(Oracle.INVALID_FX_RATE));
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
