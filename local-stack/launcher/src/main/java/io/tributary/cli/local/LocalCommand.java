package io.tributary.cli.local;

import io.tributary.cli.DurationConverter;
import io.tributary.cli.Tributary;
import io.tributary.contracts.TopicContract;
import io.tributary.dashboard.Dashboard;
import io.tributary.dashboard.DashboardSettings;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

/**
 * {@code tributary local}: the pipeline on this machine, on real servers (no Docker). It starts
 * Kafka, the schema registry, Redis and PostgreSQL, registers the contracts, creates the topics,
 * writes reference data and fraud rules, runs transactions-enrichment, fraud-detection,
 * live-metrics and warehouse-sink in-process (from the job catalog, see {@link InProcessJobs}),
 * produces generated payments (duplicates, out-of-order, late and malformed
 * records and fraud patterns included), tightens a rule halfway, and reports every 5 seconds what
 * reached the enriched, late, dead-letter and alert topics as a read_committed consumer sees them,
 * with the latest minute rows every 15 seconds. On Ctrl-C or after {@code --duration} it drains the
 * enrichment job (the watermark jumps to the end, held events go out, the last transaction commits),
 * checks that every record is accounted for, stops the other three with a savepoint, and prints the
 * alert latency it saw, the alert rate, and the alerts' precision and recall against the generator's
 * labelled fraud patterns ({@link AlertQuality}). While it runs, it serves the live dashboard ({@code tributary dashboard}'s
 * page, on the local stack and the four jobs' REST endpoints) and prints its URL. When one of the
 * jobs fails, the run stops with its root cause.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Runs the pipeline locally on embedded real servers with generated events; Ctrl-C stops it.")
public final class LocalCommand implements java.util.concurrent.Callable<Integer> {
    private static final Duration ACCOUNT_PAUSE = Duration.ofMinutes(1);

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "0s",
            description = "How long to produce events; 0s (the default) runs until Ctrl-C.")
    Duration duration;

    @Option(names = "--rate", defaultValue = "500", description = "Payment events per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--accounts", defaultValue = "100000",
            description = "Number of accounts (default: ${DEFAULT-VALUE}). An account pays at most once a minute while"
                    + " others are free; with fewer than 60 x --rate accounts the busiest pay more often and trip the"
                    + " fraud rules.")
    int accounts;

    @Option(names = "--local-dir", defaultValue = ".local-run",
            description = "Where checkpoints and savepoints go (default: ${DEFAULT-VALUE}).")
    Path localDirectory;

    @Option(names = "--checkpoint-interval", converter = DurationConverter.class, defaultValue = "1s",
            description = "Checkpoint interval of the four jobs (default: ${DEFAULT-VALUE}): exactly-once outputs"
                    + " become visible when a checkpoint completes.")
    Duration checkpointInterval;

    @Option(names = "--dashboard-port", defaultValue = "0",
            description = "Port of the live dashboard, whose URL the run prints; 0 (the default) takes a free one.")
    int dashboardPort;

    @Spec
    CommandSpec spec;

    /** Set by Ctrl-C: stop producing and drain. */
    private volatile boolean stopRequested;
    /** Set at the very end: stop reading the outputs. */
    private volatile boolean finished;
    private final Map<TrafficKind, AtomicLong> written = new EnumMap<>(TrafficKind.class);
    private final Map<String, AtomicLong> outputs = new ConcurrentHashMap<>();
    /** Event ids of the fraud patterns written, and when their enriched record became visible. */
    private final Map<UUID, Long> fraudEnrichedAt = new ConcurrentHashMap<>();
    private final List<Long> alertLatenciesMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The generator's labels, kept here and never written to Kafka, against the alerts read. */
    private final AlertQuality alertQuality = new AlertQuality();
    private DownstreamJobs downstream;
    /** Reads the outputs with read_committed until {@link #finished}. */
    private Thread reader;
    private InProcessJobs jobs;
    private Dashboard dashboard;
    /** A fresh key per run, shared by the two jobs that tokenize: enrichment and warehouse-sink. */
    private final TokenizationKey tokenizationKey = TokenizationKey.fromBase64(freshKey());

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
        }
    }

    private Integer run() throws Exception {
        if (rate < 1 || rate > 100_000) {
            throw new IllegalArgumentException("--rate must be between 1 and 100000, got " + rate);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--duration must not be negative");
        }
        if (checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("--checkpoint-interval must be at least 10ms, got " + checkpointInterval);
        }
        if (dashboardPort < 0 || dashboardPort > 65_535) {
            throw new IllegalArgumentException("--dashboard-port must be between 0 and 65535, got " + dashboardPort);
        }
        for (TrafficKind kind : TrafficKind.values()) {
            written.put(kind, new AtomicLong());
        }
        PrintWriter out = spec.commandLine().getOut();
        stopOnCtrlC(out);

        out.println("Starting Kafka (KRaft, in-process) and the schema registry (Apicurio, child JVM)...");
        out.flush();
        LocalPipeline pipeline = LocalPipeline.prepare();
        out.printf("Kafka      %s%nRegistry   %s%nRegistered %d subjects, created %d topics.%n",
                pipeline.kafka().bootstrapServers(), pipeline.registry().url(), TopicContract.values().length,
                TopicContract.values().length);

        Instant start = Instant.now();
        // Event time starts 5 s before a whole minute, so that the first minute row is written a few
        // seconds into the run, not up to a minute later.
        Instant eventStart = start.truncatedTo(ChronoUnit.MINUTES).minusSeconds(5);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(seed).accounts(accounts).start(eventStart).meanGap(Duration.ofNanos(1_000_000_000L / rate))
                // Late events only once the reference inputs have gone idle and the watermark moves.
                .lateAfter(rate * 15L)
                // People pay a few times a day, not several times a second: the alerts are the patterns'.
                .accountPause(ACCOUNT_PAUSE)
                // About one fraud pattern every two seconds at the default rate.
                .fraudRate(0.001));
        try (TrafficWriter writer = pipeline.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(eventStart, eventStart.plus(Duration.ofDays(1))));
            writer.flush();
            out.printf("Wrote %d account profiles, %d merchants and hourly FX rates.%n", generator.accounts().size(),
                    generator.merchants().size());

            jobs = new InProcessJobs(pipeline, localDirectory, checkpointInterval, tokenizationKey);
            JobClient job = startEnrichment(out);
            downstream = DownstreamJobs.start(pipeline, localDirectory, jobs, out);
            dashboard = startDashboard(pipeline, out);
            reader = new Thread(() -> readOutputs(pipeline), "tributary-local-reader");
            reader.setDaemon(true);
            reader.start();
            out.printf("Producing %d payments/s%s.%n", rate,
                    duration.isZero() ? " until Ctrl-C" : " for " + duration.toSeconds() + " s");
            out.flush();
            produce(generator, writer, start, out);
            writer.flush();

            out.println("Draining the job: held events go out, the last transaction commits...");
            out.flush();
            job.stopWithSavepoint(true, localDirectory.resolve("savepoints").toAbsolutePath().toUri().toString(),
                    SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        }
        long total = written.values().stream().mapToLong(AtomicLong::get).sum();
        long duplicates = written.get(TrafficKind.DUPLICATE).get();
        awaitOutputs(total - duplicates, Duration.ofSeconds(15));
        // fraud-detection scores a payment once the watermark passes it; the last alerts follow.
        sleep(Duration.ofSeconds(5));
        out.println("Stopping fraud-detection, live-metrics and warehouse-sink with a savepoint...");
        out.flush();
        downstream.stop();
        // The savepoint commits the last alerts; give the reader a moment to see them.
        sleep(Duration.ofSeconds(2));
        finished = true;
        // Its last batch counted, so that the status line and the alert rate agree.
        reader.join(TimeUnit.SECONDS.toMillis(5));
        out.println(status(Duration.between(start, Instant.now())));
        out.println(alertLatency());
        alertQuality.report(count("enriched")).forEach(out::println);
        out.println("Latest minute in PostgreSQL (live_metrics_minute):");
        downstream.latestMinute(5).forEach(row -> out.println("  " + row));
        downstream.warehouseSummary(out);
        long accounted = count("enriched") + count("late") + count("dead letters") + duplicates;
        out.printf("Every record accounted for: %s (written %d = enriched %d + late %d + dead letters %d"
                        + " + duplicates dropped %d)%n", accounted == total ? "yes" : "NO", total, count("enriched"),
                count("late"), count("dead letters"), duplicates);
        out.flush();
        return accounted == total ? 0 : Tributary.FAILED;
    }

    private static String freshKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The live dashboard on the local stack: the jobs' minute rows, alerts and health while the run goes on. */
    private Dashboard startDashboard(LocalPipeline pipeline, PrintWriter out) {
        Dashboard started = Dashboard.start(new DashboardSettings("127.0.0.1", dashboardPort,
                downstream.dashboardDatabase(), Map.of("bootstrap.servers", pipeline.kafka().bootstrapServers()),
                pipeline.registryConfig(), jobs.restEndpoints(), DashboardSettings.Topics.standard(),
                Duration.ofMinutes(60), Duration.ofSeconds(2), 20));
        out.printf("Dashboard  %s%n", started.url());
        return started;
    }

    private JobClient startEnrichment(PrintWriter out) throws Exception {
        var started = jobs.start(new TransactionsEnrichmentJob(), jobs.options("tributary-local", 2));
        out.printf("Started %s (job %s) in-process with a fresh tokenization key %s; profile local,"
                + " checkpoints every %d ms under %s.%n", TransactionsEnrichmentJob.NAME, started.client().getJobID(),
                tokenizationKey.keyId(), checkpointInterval.toMillis(), localDirectory);
        return started.client();
    }

    private void produce(PaymentEventGenerator generator, TrafficWriter writer, Instant start, PrintWriter out) {
        long sent = 0;
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int reports = 0;
        // The rule changes while the jobs run: halfway, or after 30 s when running until Ctrl-C.
        Duration ruleChange = duration.isZero() ? Duration.ofSeconds(30) : duration.dividedBy(2);
        boolean ruleChanged = false;
        while (!stopRequested && (duration.isZero() || Duration.between(start, Instant.now()).compareTo(duration) < 0)) {
            jobs.throwIfOneEnded();
            long due = (long) (Duration.between(start, Instant.now()).toNanos() / 1e9 * rate);
            for (; sent < due; sent++) {
                GeneratedTransaction g = generator.next();
                if (g.kind().fraud()) {
                    fraudEnrichedAt.put(g.transaction().getEventId(), 0L);
                }
                alertQuality.written(g);
                writer.write(g);
                written.get(g.kind()).incrementAndGet();
            }
            if (!ruleChanged && Duration.between(start, Instant.now()).compareTo(ruleChange) >= 0) {
                downstream.tightenBurstRule(generator.clock(), out);
                ruleChanged = true;
            }
            if (System.nanoTime() > nextReport) {
                out.println(status(Duration.between(start, Instant.now())));
                if (++reports % 3 == 0) {
                    downstream.latestMinute(3).forEach(row -> out.println("        minute " + row));
                }
                out.flush();
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** Reads the three outputs as a downstream consumer would: read_committed. */
    private void readOutputs(LocalPipeline pipeline) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tributary-local-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var enriched = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(pipeline.registryConfig()).build();
        var deadLetters = ConfluentAvroDeserializationSchema.forSpecific(DeadLetter.class)
                .registry(pipeline.registryConfig()).build();
        var alerts = ConfluentAvroDeserializationSchema.forSpecific(FraudAlert.class)
                .registry(pipeline.registryConfig()).build();
        String alertsTopic = TopicContract.FRAUD_ALERTS.topic();
        String enrichedTopic = TopicContract.ENRICHED_TRANSACTIONS.topic();
        String lateTopic = TopicContract.LATE_TRANSACTIONS.topic();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(enrichedTopic, lateTopic, TopicContract.DEAD_LETTERS.topic(), alertsTopic));
            while (!finished) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        if (record.topic().equals(enrichedTopic)) {
                            EnrichedTransaction e = enriched.deserialize(record.value());
                            increment("enriched");
                            fraudEnrichedAt.replace(e.getEventId(), 0L, System.nanoTime());
                            if (!e.getAccountKnown()) {
                                increment("unknown account");
                            }
                            if (!e.getFxRateKnown()) {
                                increment("missing rate");
                            }
                        } else if (record.topic().equals(lateTopic)) {
                            increment("late");
                        } else if (record.topic().equals(alertsTopic)) {
                            FraudAlert alert = alerts.deserialize(record.value());
                            increment("alerts");
                            increment("alert " + alert.getRuleId() + " v" + alert.getRuleVersion());
                            alertQuality.alerted(alert.getEventId(), alert.getRuleType());
                            Long enrichedAt = fraudEnrichedAt.remove(alert.getEventId());
                            if (enrichedAt != null && enrichedAt != 0L) {
                                alertLatenciesMillis.add((System.nanoTime() - enrichedAt) / 1_000_000);
                            }
                        } else {
                            increment("dead letters");
                            increment("DLQ " + deadLetters.deserialize(record.value()).getReason());
                        }
                    } catch (Exception e) {
                        increment("unreadable output");
                    }
                }
            }
        }
    }

    private String status(Duration elapsed) {
        Map<String, Long> reasons = countsUnder("DLQ ");
        long bad = writtenOfKinds(TrafficKind::rejected);
        Map<String, Long> rules = countsUnder("alert ");
        long patterns = writtenOfKinds(TrafficKind::fraud);
        return String.format("%4ds  written %d (duplicates %d, out of order %d, late %d, bad %d, in fraud patterns %d)"
                        + " | enriched %d (unknown account %d, missing rate %d), late %d, dead letters %d %s"
                        + " | alerts %d %s",
                elapsed.toSeconds(), written.values().stream().mapToLong(AtomicLong::get).sum(),
                written.get(TrafficKind.DUPLICATE).get(), written.get(TrafficKind.OUT_OF_ORDER).get(),
                written.get(TrafficKind.LATE).get(), bad, patterns, count("enriched"), count("unknown account"),
                count("missing rate"), count("late"), count("dead letters"), reasons, count("alerts"), rules);
    }

    /** From the enriched record of a fraud pattern's payment to its alert, both read with read_committed. */
    private String alertLatency() {
        List<Long> sorted;
        synchronized (alertLatenciesMillis) {
            sorted = new ArrayList<>(alertLatenciesMillis);
        }
        if (sorted.isEmpty()) {
            return "Alert latency: no alert on a fraud pattern's payment was read";
        }
        sorted.sort(null);
        return String.format("Alert latency (enriched record visible -> its alert visible, read_committed; %d alerts):"
                + " p50 %d ms, p95 %d ms, max %d ms", sorted.size(), sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, sorted.size() * 95 / 100)), sorted.get(sorted.size() - 1));
    }

    private void awaitOutputs(long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && count("enriched") + count("late") + count("dead letters") < expected) {
            sleep(Duration.ofMillis(100));
        }
    }

    /** Ctrl-C stops producing and drains the job, instead of killing the JVM under it; a second one exits. */
    private void stopOnCtrlC(PrintWriter out) {
        Signal.handle(new Signal("INT"), signal -> {
            if (stopRequested) {
                Runtime.getRuntime().exit(130);
            }
            stopRequested = true;
            out.println();
            out.println("Stopping (Ctrl-C again to exit at once)...");
            out.flush();
        });
    }

    private void increment(String key) {
        outputs.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private long count(String key) {
        AtomicLong n = outputs.get(key);
        return n == null ? 0 : n.get();
    }

    /** The counts whose key starts with {@code prefix} (e.g. "DLQ "), by the rest of the key. */
    private Map<String, Long> countsUnder(String prefix) {
        Map<String, Long> counts = new TreeMap<>();
        outputs.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                counts.put(k.substring(prefix.length()), v.get());
            }
        });
        return counts;
    }

    /** How many records of the kinds {@code kinds} accepts were written. */
    private long writtenOfKinds(Predicate<TrafficKind> kinds) {
        return written.entrySet().stream().filter(e -> kinds.test(e.getKey())).mapToLong(e -> e.getValue().get()).sum();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
