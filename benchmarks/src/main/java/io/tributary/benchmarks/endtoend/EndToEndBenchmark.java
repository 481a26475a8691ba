package io.tributary.benchmarks.endtoend;

import io.tributary.benchmarks.kafkastreams.KafkaStreamsEnrichment;
import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.fraud.AlertDelivery;
import io.tributary.jobs.fraud.FraudDetectionJob;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseSinkJob;
import io.tributary.jobs.warehouse.WarehouseTable;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput and latency of the enrichment job end to end, next to its Kafka Streams peer and this
 * machine's ceilings measured in the same run: a plain Kafka copy (no Flink), a Flink pass-through
 * job and a keyed one. The ceilings are measured before and after the jobs and reported as the
 * median, so that a machine that got busier or quieter during the run shows. The broker and the
 * registry run in this JVM; each job runs in a JVM of its own, whose peak memory, CPU and busiest
 * threads are measured over the window of its results. Prints one Markdown table row per
 * measurement, then the whole table, and draws the plots.
 */
@Command(name = "end-to-end", mixinStandardHelpOptions = true,
        description = "Measures the enrichment job and its Kafka Streams peer against the machine's ceilings;"
                + " prints Markdown table rows and draws plots.")
public final class EndToEndBenchmark implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "2000000", description = "Payment records pre-loaded (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--latency-seconds", defaultValue = "30",
            description = "How long each latency measurement offers load (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--warm-up-seconds",
            description = "How long each latency measurement offers its load before it starts timing, after the"
                    + " job's first result: JIT compilation and caches (default: 15, with --quick 5).")
    Integer warmUpSeconds;

    @Option(names = "--quick", description = "One measurement of each kind: a smoke test of the harness.")
    boolean quick;

    @Option(names = "--job-jvm-options", defaultValue = "${env:BENCHMARK_JOB_JVM_OPTS}",
            description = "More options for every job JVM, separated by spaces, e.g. a flight recording"
                    + " (default: $BENCHMARK_JOB_JVM_OPTS).")
    String jobJvmOptions;

    @Option(names = "--enrichment-only",
            description = "Only the enrichment at full speed, exactly once with 1 s checkpoints, and its Kafka Streams"
                    + " peer after it: no ceilings, other jobs, latency or plots. To compare a change of the"
                    + " enrichment, or to profile it (--job-jvm-options), in minutes.")
    boolean enrichmentOnly;

    @Option(names = "--fraud-only",
            description = "Only the enrichment at full speed, exactly once with 1 s checkpoints, then fraud-detection"
                    + " over what it wrote, with the ratio of the two (issue 13 asks for 0.5x): no ceilings, peer,"
                    + " latency or plots. To compare a change of fraud-detection, or to profile it, in minutes.")
    boolean fraudOnly;

    @Option(names = "--alerts-only",
            description = "Only the enrichment and fraud-detection at full speed (as --fraud-only), then the alert path"
                    + " (both jobs running together) at full speed and its latency at half of that, for exactly-once"
                    + " and low-latency alerts: payments offered to the enrichment, alerts timed by a read_committed"
                    + " consumer.")
    boolean alertsOnly;

    @Option(names = "--max-offered-rate", defaultValue = "0",
            description = "Offer no latency run more than this many payments a second (default: no cap): for a smoke"
                    + " test on a few thousand records, whose measured maxima mean nothing.")
    int maxOfferedRate;

    @Option(names = "--alert-latency-at", paramLabel = "MAXIMUM", defaultValue = "0",
            description = "Only the alert path's latency, for both deliveries, at half of MAXIMUM payments a second"
                    + " (an alert path maximum that --alerts-only measured): to compare a change of the latency in"
                    + " minutes.")
    double alertPathMaximum;

    @Option(names = "--enrichment-latency-at", paramLabel = "MAXIMUM", defaultValue = "0",
            description = "Only the enrichment's latency, exactly once with 1 s checkpoints, for the Flink job and its"
                    + " Kafka Streams peer, at half of MAXIMUM payments a second (a maximum that --enrichment-only"
                    + " measured): the exactly-once latency at half load in minutes.")
    double enrichmentMaximum;

    @Option(names = "--ceilings-once",
            description = "Measure each ceiling once, before the jobs, instead of before and after them: for a smoke"
                    + " test of the harness (as mvn verify runs it), whose figures mean nothing. The table then"
                    + " shows no drift of the machine during the run.")
    boolean ceilingsOnce;

    @Option(names = "--job-option", paramLabel = "KEY=VALUE",
            description = "An option for every job that understands it, e.g. taskmanager.memory.managed.size=512m"
                    + " (Flink jobs), tributary.state.dedup-ttl=1h (the jobs that read it, and the Kafka Streams peer),"
                    + " streams.num.standby.replicas=0 (the peer only); repeatable. To see what a setting changes.")
    Map<String, String> jobOptions = new LinkedHashMap<>();

    @Option(names = "--plots-dir",
            description = "Where the plots (PNG) go (default: the current directory, benchmarks/ through"
                    + " benchmarks/run; the work directory with --quick, whose figures mean nothing).")
    Path plotsDir;

    @Option(names = "--work-dir", defaultValue = "target/benchmark-runs",
            description = "Where the jobs' logs and checkpoints go (default: ${DEFAULT-VALUE}).")
    Path workDir;

    private static final String HEADER = "| what | guarantee | checkpoints | offered load | results | results/s"
            + " | second half /s | latency p50 / p95 / p99 / max ms | job peak RSS | job CPU µs/result"
            + " | job's top threads (share of its CPU) | note |";
    private static final String ALIGNMENT = "|---|---|---|---|---:|---:|---:|---|---:|---:|---|---|";

    private final List<Row> rows = new ArrayList<>();
    private JobOptionRouting routing;
    private int runs;

    /**
     * One line of the results table.
     *
     * @param offeredPerSecond the load offered in a latency run; 0 for a run at full speed
     * @param cpuMicrosPerResult the job's CPU over the window of its results, per result
     * @param topThreads the job's busiest thread groups in that window, with their share of its CPU
     */
    public record Row(String what, String guarantee, String checkpoint, String load, double offeredPerSecond,
            long results, double perSecond, double secondHalfPerSecond, double[] latencyMillis, long peakRssMib,
            double cpuMicrosPerResult, String topThreads, String note) {
        /**
         * A row of a job run in {@code job}: its memory, and the CPU it used between {@code fromNanos}
         * and {@code toNanos} (its first and last result) over the {@code resultsInWindow} results.
         */
        static Row of(String what, String guarantee, String checkpoint, String load, double offeredPerSecond,
                long results, double perSecond, double secondHalfPerSecond, double[] latencyMillis, ChildJob job,
                long fromNanos, long toNanos, long resultsInWindow, String note) throws InterruptedException {
            ProcessCpu.Window cpu = job.cpuBetween(fromNanos, toNanos);
            double perResult = resultsInWindow == 0 ? 0 : cpu.cpu().toNanos() / 1000.0 / resultsInWindow;
            return new Row(what, guarantee, checkpoint, load, offeredPerSecond, results, perSecond,
                    secondHalfPerSecond, latencyMillis, job.peakRssMib(), perResult, cpu.topThreadsText(), note);
        }

        /** A row of a job whose results {@code watcher} timed: the CPU window is its first to last result. */
        static Row watched(String what, String guarantee, String checkpoint, String load, double offeredPerSecond,
                long results, double perSecond, double[] latencyMillis, ChildJob job, OutputWatcher watcher,
                String note) throws InterruptedException {
            return of(what, guarantee, checkpoint, load, offeredPerSecond, results, perSecond,
                    latencyMillis == null ? watcher.secondHalfThroughput() : 0, latencyMillis, job,
                    watcher.firstArrivalNanos(), watcher.lastArrivalNanos(), watcher.count(), note);
        }

        /** A row of the harness's own Kafka copy, which runs in no job JVM. */
        static Row copy(String guarantee, String checkpoint, long results, double perSecond, String note) {
            return new Row("Kafka copy (no Flink)", guarantee, checkpoint, "max", 0, results, perSecond, 0, null, 0, 0,
                    "-", note);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EndToEndBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if ((enrichmentOnly ? 1 : 0) + (fraudOnly ? 1 : 0) + (alertsOnly ? 1 : 0) + (alertPathMaximum > 0 ? 1 : 0)
                + (enrichmentMaximum > 0 ? 1 : 0) > 1) {
            System.err.println("--enrichment-only, --fraud-only, --alerts-only, --alert-latency-at and"
                    + " --enrichment-latency-at each choose what to measure: give one of them");
            return 2;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        out.println(Machine.describe());
        routing = new JobOptionRouting(jobOptions);
        if (!routing.isEmpty()) {
            out.println("Job options " + routing + ", each to the jobs that read it");
        }
        LocalPipeline pipeline = LocalPipeline.prepare();
        Workload workload = Workload.preload(pipeline, "bench" + System.currentTimeMillis() % 100_000 + ".", records, 7);
        out.printf("Pre-loaded %d payment records (%d produce a result) into %s%n", workload.records(),
                workload.results(), workload.transactionsTopic());

        out.println(HEADER);
        out.println(ALIGNMENT);
        if (enrichmentOnly) {
            JobConfig config = new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s");
            for (Engine engine : Engine.values()) {
                rows.add(print(out, enrichmentThroughput(pipeline, workload, engine, config, "bench-out" + (++runs) + ".")));
            }
            out.printf("%nThe enrichment at %.2fx its Kafka Streams peer%n", rows.get(0).perSecond() / rows.get(1).perSecond());
            return 0;
        }
        if (fraudOnly || alertsOnly) {
            String outputs = "bench-out" + (++runs) + ".";
            Row enrichment = print(out, enrichmentThroughput(pipeline, workload, Engine.FLINK,
                    new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"), outputs));
            Row fraud = print(out, fraudThroughput(pipeline, outputs + TopicContract.ENRICHED_TRANSACTIONS.topic(),
                    "bench-fraud" + (++runs) + "."));
            rows.addAll(List.of(enrichment, fraud));
            if (alertsOnly) {
                Row path = print(out, alertPathThroughput(pipeline, workload));
                rows.add(path);
                for (AlertDelivery delivery : AlertDelivery.values()) {
                    rows.add(print(out, alertLatency(pipeline, workload, delivery, 0.5, path.perSecond())));
                }
            }
            out.printf("%nfraud-detection at %.3fx the enrichment%n", fraud.perSecond() / enrichment.perSecond());
            return 0;
        }
        if (enrichmentMaximum > 0) {
            for (Engine engine : Engine.values()) {
                rows.add(print(out, enrichmentLatency(pipeline, workload, engine,
                        new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"), 0.5, enrichmentMaximum)));
            }
            return 0;
        }
        if (alertPathMaximum > 0) {
            for (AlertDelivery delivery : AlertDelivery.values()) {
                rows.add(print(out, alertLatency(pipeline, workload, delivery, 0.5, alertPathMaximum)));
            }
            return 0;
        }
        List<Row> ceilingsBefore = ceilings(out, pipeline, workload, "before the jobs");
        List<JobConfig> configs = quick ? List.of(new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"))
                : List.of(new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"),
                        new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "200ms"),
                        new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "5s"),
                        new JobConfig(DeliveryGuarantee.AT_LEAST_ONCE, "1s"));
        List<Row> jobRows = new ArrayList<>();
        Map<Engine, Double> maximum = new EnumMap<>(Engine.class);
        String enrichedTopic = null;
        for (Engine engine : Engine.values()) {
            for (JobConfig config : configs) {
                String outputs = "bench-out" + (++runs) + ".";
                Row row = enrichmentThroughput(pipeline, workload, engine, config, outputs);
                jobRows.add(print(out, row));
                maximum.putIfAbsent(engine, row.perSecond());
                if (enrichedTopic == null) {
                    enrichedTopic = outputs + TopicContract.ENRICHED_TRANSACTIONS.topic();
                }
            }
        }
        // fraud-detection reads what the first (exactly-once) enrichment run wrote.
        String fraudOutputs = "bench-fraud" + (++runs) + ".";
        Row fraud = print(out, fraudThroughput(pipeline, enrichedTopic, fraudOutputs));
        jobRows.add(fraud);
        // warehouse-sink takes all of it: the raw payments, the changelogs, the enriched payments, the alerts.
        jobRows.add(print(out, warehouseThroughput(pipeline, workload, enrichedTopic,
                fraudOutputs + TopicContract.FRAUD_ALERTS.topic(), fraud.results())));
        // A quick run times the Flink job only: the peer's latency run is the same code with the other engine.
        for (Engine engine : quick ? List.of(Engine.FLINK) : List.of(Engine.values())) {
            for (JobConfig config : configs) {
                for (double load : quick ? new double[] {0.25} : new double[] {0.25, 0.5, 0.75}) {
                    jobRows.add(print(out, enrichmentLatency(pipeline, workload, engine, config, load,
                            maximum.get(engine))));
                }
            }
        }
        // The alert path: its maximum with both jobs sharing the machine, then its latency. A quick run
        // checks the harness with the low-latency delivery only.
        Row path = print(out, alertPathThroughput(pipeline, workload));
        jobRows.add(path);
        for (AlertDelivery delivery : quick ? List.of(AlertDelivery.LOW_LATENCY) : List.of(AlertDelivery.values())) {
            for (double load : quick ? new double[] {0.5} : new double[] {0.25, 0.5}) {
                jobRows.add(print(out, alertLatency(pipeline, workload, delivery, load, path.perSecond())));
            }
        }
        List<Row> ceilingsAfter = ceilingsOnce ? List.of() : ceilings(out, pipeline, workload, "after the jobs");

        out.printf(ceilingsOnce ? "%nThe table: each ceiling measured once, before the jobs%n%n"
                : "%nThe table: each ceiling the median of its runs before and after the jobs%n%n");
        out.println(HEADER);
        out.println(ALIGNMENT);
        for (int i = 0; i < ceilingsBefore.size(); i++) {
            rows.add(print(out, Ceilings.median(ceilingsOnce ? List.of(ceilingsBefore.get(i))
                    : List.of(ceilingsBefore.get(i), ceilingsAfter.get(i)))));
        }
        jobRows.forEach(row -> rows.add(print(out, row)));
        double copy = rows.get(1).perSecond();
        out.printf("%nRatios to the exactly-once Kafka copy (%.0f/s): enrichment %.3f, its Kafka Streams peer %.3f,"
                        + " fraud-detection %.3f, Flink pass-through %.2f, keyed pass-through %.2f%n", copy,
                maximum.get(Engine.FLINK) / copy, maximum.get(Engine.KAFKA_STREAMS) / copy, fraud.perSecond() / copy,
                rows.get(2).perSecond() / copy, rows.get(3).perSecond() / copy);
        Path plots = plotsDir != null ? plotsDir : quick ? workDir : Path.of(".");
        for (Path plot : Plots.write(rows, plots)) {
            out.println("Plot: " + plot.toAbsolutePath().normalize());
        }
        return 0;
    }

    /**
     * The machine's ceilings, in the order of the table: the Kafka copy at least once and exactly
     * once, the Flink pass-through, the keyed pass-through.
     */
    private List<Row> ceilings(PrintWriter out, LocalPipeline pipeline, Workload workload, String when)
            throws Exception {
        String bootstrap = pipeline.kafka().bootstrapServers();
        List<Row> measured = new ArrayList<>();
        measured.add(print(out, Row.copy("at least once", "-", workload.records(), KafkaCopy.copy(bootstrap,
                workload.transactionsTopic(), fresh(pipeline, "copy"), false, workload.records()),
                "one consumer, one producer; " + when)));
        measured.add(print(out, Row.copy("exactly once", "1s", workload.records(), KafkaCopy.copy(bootstrap,
                workload.transactionsTopic(), fresh(pipeline, "copy-eo"), true, workload.records()),
                "a transaction a second; " + when)));
        measured.add(print(out, passThrough(pipeline, workload, false, when)));
        measured.add(print(out, passThrough(pipeline, workload, true, when)));
        return measured;
    }

    /** The rows of the table, in its order (ceilings first, as medians), once the run is done. */
    public List<Row> rows() {
        return rows;
    }

    private record JobConfig(DeliveryGuarantee guarantee, String checkpoint) {
        String guaranteeText() {
            return guarantee == DeliveryGuarantee.EXACTLY_ONCE ? "exactly once" : "at least once";
        }

        /** Kafka Streams' processing.guarantee for the same promise. */
        String streamsGuarantee() {
            return guarantee == DeliveryGuarantee.EXACTLY_ONCE ? StreamsConfig.EXACTLY_ONCE_V2
                    : StreamsConfig.AT_LEAST_ONCE;
        }
    }

    /** The two implementations of the enrichment measured side by side. */
    private enum Engine {
        FLINK("transactions-enrichment"),
        KAFKA_STREAMS("transactions-enrichment (Kafka Streams)");

        final String rowName;

        Engine(String rowName) {
            this.rowName = rowName;
        }
    }

    private Row passThrough(LocalPipeline pipeline, Workload workload, boolean keyed, String when) throws Exception {
        String name = keyed ? "keyed-pass-through" : "pass-through";
        String output = fresh(pipeline, name);
        Path dir = runDir(name);
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", pipeline.kafka().bootstrapServers(),
                "--input", workload.transactionsTopic(), "--output", output, "--checkpoint-interval", "1s",
                "--stop-at-latest", "--local-dir", dir.toString()));
        if (keyed) {
            args.add("--keyed");
        }
        addOptions(args, routing.forFlinkJob(PassThroughJob.KNOWN_OPTIONS));
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(), List.of(output), null,
                        null, 0);
                ChildJob job = ChildJob.start(JobClasspath.FLINK, PassThroughJob.class.getName(), args, Map.of(),
                        dir.resolve("job.log"), jobJvmArguments())) {
            int exit = job.awaitExit(Duration.ofMinutes(30));
            watcher.await(workload.records(), Duration.ofSeconds(30));
            String what = keyed ? "Flink keyed pass-through" : "Flink pass-through";
            String note = exit != 0 ? "EXIT " + exit + ", see " + dir
                    : (keyed ? "keyBy account on the raw bytes, write" : "read, write, nothing else") + "; " + when;
            return Row.watched(what, "exactly once", "1s", "max", 0, watcher.count(), watcher.throughput(), null, job,
                    watcher, note);
        }
    }

    private Row enrichmentThroughput(LocalPipeline pipeline, Workload workload, Engine engine, JobConfig config,
            String outputs) throws Exception {
        pipeline.kafka().createTopics(TributaryTopics.newTopics(outputs));
        Path dir = runDir((engine == Engine.FLINK ? "enrichment-" : "kafka-streams-") + runs);
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(), outputTopics(outputs),
                        null, null, 0);
                ChildJob job = startEnrichment(engine, pipeline, workload.prefix(), workload.transactionsTopic(),
                        outputs, config, true, dir)) {
            String note;
            if (engine == Engine.FLINK) {
                int exit = job.awaitExit(Duration.ofMinutes(30));
                boolean complete = watcher.await(workload.results(), Duration.ofSeconds(30));
                note = exit != 0 ? "EXIT " + exit + ", see " + dir
                        : complete ? "all results arrived" : "ONLY " + watcher.count() + " of " + workload.results();
            } else {
                // Kafka Streams has no bounded mode: it runs until every result is in, then it is stopped.
                boolean complete = watcher.awaitWhileArriving(workload.results(), Duration.ofMinutes(5),
                        Duration.ofSeconds(60), job::isAlive);
                note = !job.isAlive() ? "DIED, see " + dir
                        : complete ? "all results arrived" : "ONLY " + watcher.count() + " of " + workload.results();
            }
            return Row.watched(engine.rowName, config.guaranteeText(), config.checkpoint(), "max", 0, watcher.count(),
                    watcher.throughput(), null, job, watcher, note);
        }
    }

    /**
     * Starts the enrichment on {@code engine}, reading the reference data under {@code inputs} and the
     * payments of {@code transactionsTopic}, writing under {@code outputs}; {@code bounded} stops the
     * Flink job at the input's end (the Kafka Streams peer runs until it is stopped).
     */
    private ChildJob startEnrichment(Engine engine, LocalPipeline pipeline, String inputs, String transactionsTopic,
            String outputs, JobConfig config, boolean bounded, Path dir) throws IOException {
        if (engine == Engine.FLINK) {
            return ChildJob.start(JobClasspath.FLINK, "io.tributary.cli.Tributary",
                    enrichmentArgs(pipeline, inputs, transactionsTopic, outputs, config, bounded, dir), environment(),
                    dir.resolve("job.log"), jobJvmArguments());
        }
        List<String> args = KafkaStreamsEnrichment.arguments(pipeline.kafka().bootstrapServers(),
                pipeline.registry().url(), outputs + "kafka-streams", transactionsTopic, inputs, outputs,
                dir.resolve("state"));
        args.addAll(List.of("--guarantee", config.streamsGuarantee(), "--commit-interval", config.checkpoint(),
                "--threads", "2"));
        addOptions(args, routing.forKafkaStreams());
        return ChildJob.start(JobClasspath.KAFKA_STREAMS, KafkaStreamsEnrichment.class.getName(), args, environment(),
                dir.resolve("job.log"), jobJvmArguments());
    }

    /**
     * fraud-detection over the enriched topic of an enrichment run, with Redis, and one rule that
     * fires on every payment (card.count_24h above 0): every payment becomes an alert, which a
     * read_committed consumer can time as it times the enrichment's results.
     */
    private Row fraudThroughput(LocalPipeline pipeline, String enrichedTopic, String outputs) throws Exception {
        pipeline.kafka().createTopics(TributaryTopics.newTopics(outputs));
        writeEveryPaymentRule(pipeline, outputs);
        String alerts = outputs + TopicContract.FRAUD_ALERTS.topic();
        Path dir = runDir("fraud-" + runs);
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(), List.of(alerts), null,
                        null, 0);
                ChildJob job = startFraud(pipeline, enrichedTopic, outputs, AlertDelivery.EXACTLY_ONCE, true, dir)) {
            int exit = job.awaitExit(Duration.ofMinutes(30));
            // A bounded job commits its last transaction before it ends: the topic is complete, and
            // the watcher has seen it all once it has read as many records as the topic holds.
            watcher.await(committedRecords(pipeline, alerts), Duration.ofSeconds(30));
            return Row.watched("fraud-detection", "exactly once", "1s", "max", 0, watcher.count(), watcher.throughput(),
                    null, job, watcher,
                    exit == 0 ? "one alert per payment; features to Redis" : "EXIT " + exit + ", see " + dir);
        }
    }

    /** The rule of {@link #fraudThroughput}, which fires on every payment, to the rules topic under {@code outputs}. */
    private static void writeEveryPaymentRule(LocalPipeline pipeline, String outputs) {
        try (TrafficWriter writer = new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(),
                outputs)) {
            writer.writeRule(FraudRule.newBuilder().setRuleId("every-payment").setVersion(1).setEnabled(true)
                    .setType(RuleType.FEATURE_THRESHOLD).setSeverity(Severity.LOW).setEffectiveFrom(Instant.EPOCH)
                    .setDescription("Fires on every payment, so that each one yields an output to time")
                    .setFeature("card.count_24h").setThreshold(0.0).build());
            writer.flush();
        }
    }

    /**
     * Starts fraud-detection over {@code enrichedTopic} with the rules under {@code outputs}, writing
     * its alerts there and its features to the local Redis; {@code bounded} stops it at the input's end.
     */
    private ChildJob startFraud(LocalPipeline pipeline, String enrichedTopic, String outputs, AlertDelivery delivery,
            boolean bounded, Path dir) throws IOException {
        RedisServer redis = LocalServers.redis();
        List<String> args = new ArrayList<>(List.of("run", "fraud-detection",
                "--bootstrap-servers", pipeline.kafka().bootstrapServers(), "--registry-url", pipeline.registry().url(),
                "--local-dir", dir.toString()));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("tributary.topics.enriched", enrichedTopic);
        options.put("tributary.topics.fraud-rules", outputs + TopicContract.FRAUD_RULES.topic());
        options.put("tributary.topics.fraud-alerts", outputs + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.topics.dead-letters", outputs + TopicContract.DEAD_LETTERS.topic());
        options.put("tributary.topics.erasure-requests", outputs + TopicContract.ERASURE_REQUESTS.topic());
        options.put("tributary.kafka.stop-at-latest", String.valueOf(bounded));
        options.put("tributary.kafka.starting-offsets", "EARLIEST");
        options.put("tributary.kafka.group-id", outputs + "fraud");
        options.put("tributary.fraud.transactional-id-prefix", outputs + "fraud");
        options.put("tributary.fraud.alert-delivery", delivery.toString());
        options.put("tributary.redis.host", redis.host());
        options.put("tributary.redis.port", String.valueOf(redis.port()));
        options.put("tributary.redis.key-prefix", outputs + "features:");
        options.put("execution.checkpointing.interval", "1s");
        options.put("parallelism.default", "2");
        options.putAll(routing.forFlinkJob(new FraudDetectionJob().options()));
        addOptions(args, options);
        return ChildJob.start(JobClasspath.FLINK, "io.tributary.cli.Tributary", args, Map.of(), dir.resolve("job.log"),
                jobJvmArguments());
    }

    /**
     * warehouse-sink, as a stream (it runs no other way), from the earliest offsets of the workload's
     * topics, the first enrichment run's output and fraud-detection's alerts, until the raw, enriched
     * and alert tables hold them all. Rows per second are counted from the first commit to the last.
     */
    private Row warehouseThroughput(LocalPipeline pipeline, Workload workload, String enrichedTopic, String alertsTopic,
            long alerts) throws Exception {
        // Whatever the topic holds: the enrichment run that wrote it has ended.
        long enriched = committedRecords(pipeline, enrichedTopic);
        Path dir = runDir("warehouse-" + (++runs));
        WarehouseCatalog warehouse = WarehouseCatalog.local(dir.resolve("warehouse"));
        List<String> args = new ArrayList<>(List.of("run", "warehouse-sink",
                "--bootstrap-servers", pipeline.kafka().bootstrapServers(), "--registry-url", pipeline.registry().url(),
                "--local-dir", dir.toString()));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("tributary.topics.transactions", workload.transactionsTopic());
        options.put("tributary.topics.accounts", workload.prefix() + TopicContract.ACCOUNT_PROFILES.topic());
        options.put("tributary.topics.merchants", workload.prefix() + TopicContract.MERCHANTS.topic());
        options.put("tributary.topics.fx-rates", workload.prefix() + TopicContract.FX_RATES.topic());
        options.put("tributary.topics.enriched", enrichedTopic);
        options.put("tributary.topics.fraud-alerts", alertsTopic);
        options.put("tributary.kafka.starting-offsets", "EARLIEST");
        options.put("tributary.kafka.group-id", "bench-warehouse" + runs);
        options.put("tributary.warehouse.location", warehouse.location());
        options.put("execution.checkpointing.interval", "1s");
        options.put("parallelism.default", "2");
        options.putAll(routing.forFlinkJob(new WarehouseSinkJob().options()));
        addOptions(args, options);
        long expected = workload.raw() + enriched + alerts;
        try (ChildJob job = ChildJob.start(JobClasspath.FLINK, "io.tributary.cli.Tributary", args, environment(),
                dir.resolve("job.log"), jobJvmArguments())) {
            long first = 0;
            long last = 0;
            long committed = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (committed < expected && job.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                long now = committedRows(warehouse);
                if (now > committed) {
                    last = System.nanoTime();
                    first = committed == 0 ? last : first;
                    committed = now;
                }
            }
            double seconds = (last - first) / 1e9;
            return Row.of("warehouse-sink", "exactly once", "1s", "max", 0, committed,
                    seconds > 0 ? committed / seconds : 0, 0, null, job, first, last, committed,
                    committed == expected ? "raw, enriched and alert rows, first commit to last"
                            : "ONLY " + committed + " of " + expected + " rows, see " + dir);
        }
    }

    /**
     * The records of a topic whose writers have ended, as read_committed reads them: to the last
     * stable offset, which is the end of the topic once no transaction is open.
     */
    private static long committedRecords(LocalPipeline pipeline, String topic) {
        try (var consumer = ReadCommittedConsumer.fromEarliest(pipeline.kafka().bootstrapServers(), "benchmark-count-")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long records = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 5 minutes");
                }
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
            return records;
        }
    }

    /** Rows committed to the raw, enriched and alert tables; 0 until warehouse-sink has created them. */
    private static long committedRows(WarehouseCatalog warehouse) {
        Catalog catalog = warehouse.open();
        try {
            long rows = 0;
            for (WarehouseTable table : List.of(WarehouseTable.RAW_TRANSACTIONS, WarehouseTable.TRANSACTIONS_ENRICHED,
                    WarehouseTable.FRAUD_ALERTS)) {
                if (!catalog.tableExists(warehouse.identifier(table))) {
                    return 0;
                }
                Snapshot current = catalog.loadTable(warehouse.identifier(table)).currentSnapshot();
                rows += current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
            }
            return rows;
        } finally {
            WarehouseCatalog.close(catalog);
        }
    }

    private Row enrichmentLatency(LocalPipeline pipeline, Workload workload, Engine engine, JobConfig config,
            double load, double maximum) throws Exception {
        String run = "bench-lat" + (++runs) + ".";
        pipeline.kafka().createTopics(TributaryTopics.newTopics(run));
        String input = run + TopicContract.TRANSACTIONS.topic();
        Path dir = runDir("latency-" + runs);
        int rate = offeredRate(maximum, load);
        Map<Object, Long> sendTimes = new ConcurrentHashMap<>();
        var enriched = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(pipeline.registryConfig()).build();
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(),
                        List.of(run + TopicContract.ENRICHED_TRANSACTIONS.topic()), sendTimes,
                        bytes -> eventId(enriched, bytes, EnrichedTransaction::getEventId), rate * latencySeconds);
                ChildJob job = startEnrichment(engine, pipeline, workload.prefix(), input, run, config, false, dir);
                TrafficWriter writer = new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(),
                        run)) {
            PaymentEventGenerator generator = liveGenerator(rate);
            warmUp(writer, generator, rate, () -> watcher.count() > 0 || !job.isAlive());
            long measured = offer(writer, generator, rate, Duration.ofSeconds(latencySeconds), sendTimes::put);
            boolean complete = watcher.awaitTimed(measured, Duration.ofSeconds(30));
            return Row.watched(engine.rowName, config.guaranteeText(), config.checkpoint(),
                    String.format("%.0f%% (%d/s)", load * 100, rate), rate, measured, rate,
                    watcher.latencyPercentilesMillis(), job, watcher,
                    !job.isAlive() ? "JOB DIED, see " + dir
                            : !complete ? "ONLY " + watcher.timed() + " of " + measured + " timed results"
                            : "latency from send to read_committed receipt");
        }
    }

    /**
     * The alert path at full speed: transactions-enrichment (exactly once, 1 s checkpoints) over the
     * pre-loaded payments and fraud-detection over what it writes, running together as they do in
     * production, so that they share the machine: alerts per second from the first to the last; the
     * alert path's half load is half of it. fraud-detection runs as a stream (a bounded one would
     * start only once the enrichment had ended) with low-latency alerts: exactly-once alerts would
     * hold the last seconds' payments for a watermark that no later payment moves. Holding each
     * payment until the watermark costs the exactly-once delivery more, so its half load is a little
     * more than half of its own maximum. fraud-detection starts first; it reads its rule before it
     * scores a payment (its rules at start), so the enrichment starts at once.
     */
    private Row alertPathThroughput(LocalPipeline pipeline, Workload workload) throws Exception {
        String run = "bench-path" + (++runs) + ".";
        pipeline.kafka().createTopics(TributaryTopics.newTopics(run));
        writeEveryPaymentRule(pipeline, run);
        String enriched = run + TopicContract.ENRICHED_TRANSACTIONS.topic();
        Path enrichmentDir = runDir("path-enrichment-" + runs);
        Path fraudDir = runDir("path-fraud-" + runs);
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(),
                        List.of(run + TopicContract.FRAUD_ALERTS.topic()), null, null, 0);
                ChildJob fraud = startFraud(pipeline, enriched, run, AlertDelivery.LOW_LATENCY, false, fraudDir)) {
            try (ChildJob enrichment = startEnrichment(Engine.FLINK, pipeline, workload.prefix(),
                    workload.transactionsTopic(), run, new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"), true,
                    enrichmentDir)) {
                int exit = enrichment.awaitExit(Duration.ofMinutes(30));
                long payments = committedRecords(pipeline, enriched);
                boolean complete = watcher.awaitWhileArriving(payments, Duration.ofMinutes(5), Duration.ofSeconds(60),
                        fraud::isAlive);
                String note = exit != 0 ? "EXIT " + exit + ", see " + enrichmentDir
                        : !fraud.isAlive() ? "DIED, see " + fraudDir
                        : !complete ? "ONLY " + watcher.count() + " alerts for " + payments + " payments"
                        : "both jobs together, the enrichment exactly once, low-latency alerts, one per payment;"
                                + " fraud-detection's CPU";
                return Row.watched("alert path (enrichment and fraud-detection)", "at least once", "1s", "max", 0,
                        watcher.count(), watcher.throughput(), null, fraud, watcher, note);
            }
        }
    }

    /**
     * The alert path end to end: transactions-enrichment (exactly once, 1 s checkpoints) and
     * fraud-detection with {@code delivery} running together, payments offered to the enrichment at
     * {@code load} of the alert path's {@code maximum}, and the time from handing a payment to the
     * producer to a read_committed consumer receiving its alert (the rule fires on every payment).
     * The note gives the first part of it: until the enriched payment is visible to fraud-detection
     * (read_committed for exactly-once alerts, as written for low-latency ones).
     */
    private Row alertLatency(LocalPipeline pipeline, Workload workload, AlertDelivery delivery, double load,
            double maximum) throws Exception {
        String run = "bench-alerts" + (++runs) + ".";
        pipeline.kafka().createTopics(TributaryTopics.newTopics(run));
        writeEveryPaymentRule(pipeline, run);
        String input = run + TopicContract.TRANSACTIONS.topic();
        int rate = offeredRate(maximum, load);
        Map<Object, Long> enrichedSends = new ConcurrentHashMap<>();
        Map<Object, Long> alertSends = new ConcurrentHashMap<>();
        var enriched = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(pipeline.registryConfig()).build();
        var alerts = ConfluentAvroDeserializationSchema.forSpecific(FraudAlert.class)
                .registry(pipeline.registryConfig()).build();
        boolean lowLatency = delivery == AlertDelivery.LOW_LATENCY;
        int samples = rate * latencySeconds;
        Path enrichmentDir = runDir("alerts-enrichment-" + runs);
        Path fraudDir = runDir("alerts-fraud-" + runs);
        try (OutputWatcher enrichedWatcher = new OutputWatcher(pipeline.kafka().bootstrapServers(),
                        List.of(run + TopicContract.ENRICHED_TRANSACTIONS.topic()), enrichedSends,
                        bytes -> eventId(enriched, bytes, EnrichedTransaction::getEventId), samples,
                        lowLatency ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED);
                OutputWatcher alertWatcher = new OutputWatcher(pipeline.kafka().bootstrapServers(),
                        List.of(run + TopicContract.FRAUD_ALERTS.topic()), alertSends,
                        bytes -> eventId(alerts, bytes, FraudAlert::getEventId), samples);
                ChildJob enrichment = startEnrichment(Engine.FLINK, pipeline, workload.prefix(), input, run,
                        new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"), false, enrichmentDir);
                ChildJob fraud = startFraud(pipeline, run + TopicContract.ENRICHED_TRANSACTIONS.topic(), run, delivery,
                        false, fraudDir);
                TrafficWriter writer = new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(),
                        run)) {
            PaymentEventGenerator generator = liveGenerator(rate);
            warmUp(writer, generator, rate, () -> alertWatcher.count() > 0 || !enrichment.isAlive() || !fraud.isAlive());
            long measured = offer(writer, generator, rate, Duration.ofSeconds(latencySeconds), (id, sent) -> {
                enrichedSends.put(id, sent);
                alertSends.put(id, sent);
            });
            // Payments keep coming, untimed, until every timed one has its alert: exactly-once alerts
            // wait for the watermark, which only later payments move past them.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (alertWatcher.timed() < measured && fraud.isAlive() && System.nanoTime() < deadline) {
                offer(writer, generator, rate, Duration.ofMillis(500), null);
            }
            double[] untilEnriched = enrichedWatcher.latencyPercentilesMillis();
            String note = !enrichment.isAlive() ? "JOB DIED, see " + enrichmentDir
                    : !fraud.isAlive() ? "JOB DIED, see " + fraudDir
                    : alertWatcher.timed() < measured ? "ONLY " + alertWatcher.timed() + " of " + measured + " alerts"
                    : String.format("payment sent to alert read_committed; of which until the enriched payment is"
                            + " visible %s: p50 %.0f, p99 %.0f ms", lowLatency ? "as written" : "read_committed",
                            untilEnriched[0], untilEnriched[2]);
            return Row.watched("fraud alerts, " + delivery, lowLatency ? "at least once" : "exactly once", "1s",
                    String.format("%.0f%% (%d/s)", load * 100, rate), rate, measured, rate,
                    alertWatcher.latencyPercentilesMillis(), fraud, alertWatcher, note);
        }
    }

    private int warmUpSeconds() {
        return warmUpSeconds != null ? warmUpSeconds : quick ? 5 : 15;
    }

    /** {@code --job-jvm-options}, one argument each, for the job JVMs' command lines. */
    private List<String> jobJvmArguments() {
        return jobJvmOptions == null || jobJvmOptions.isBlank() ? List.of() : List.of(jobJvmOptions.trim().split("\\s+"));
    }

    /** Payments dated now on, {@code rate} a second, none late: the traffic of a latency run. */
    private PaymentEventGenerator liveGenerator(int rate) {
        return new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(runs).accounts(10_000).merchants(500).start(Instant.now())
                .meanGap(Duration.ofNanos(1_000_000_000L / rate)).late(0, Duration.ofMinutes(10)));
    }

    /**
     * A trickle (100/s) until {@code started} (the first result is out, or a job died; at most 3
     * minutes): a backlog offered to a job still starting would be measured as latency. Then
     * {@code --warm-up-seconds} at the full rate, for the JIT.
     */
    private void warmUp(TrafficWriter writer, PaymentEventGenerator generator, int rate, BooleanSupplier started) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!started.getAsBoolean() && System.nanoTime() < deadline) {
            offer(writer, generator, 100, Duration.ofSeconds(1), null);
        }
        offer(writer, generator, rate, Duration.ofSeconds(warmUpSeconds()), null);
    }

    /** {@code load} of {@code maximum}, at least 100/s and at most {@code --max-offered-rate}. */
    private int offeredRate(double maximum, double load) {
        int rate = (int) Math.max(100, maximum * load);
        return maxOfferedRate > 0 ? Math.min(rate, maxOfferedRate) : rate;
    }

    /**
     * Offers {@code rate} payments a second for {@code duration}, handing {@code timed} the event id and
     * send time (System.nanoTime) of each that will produce a result, unless it is null; returns how
     * many will.
     */
    private static long offer(TrafficWriter writer, PaymentEventGenerator generator, int rate, Duration duration,
            BiConsumer<Object, Long> timed) {
        long start = System.nanoTime();
        long sent = 0;
        long results = 0;
        while (System.nanoTime() - start < duration.toNanos()) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            for (; sent < due; sent++) {
                GeneratedTransaction g = generator.next();
                boolean result = g.kind() != TrafficKind.DUPLICATE && !g.kind().rejected();
                if (timed != null && result) {
                    timed.accept(g.transaction().getEventId(), System.nanoTime());
                    results++;
                }
                writer.write(g);
            }
            // Sleep rather than spin: on a 2-core machine a spinning producer takes a core from the job.
            LockSupport.parkNanos(Math.min(1_000_000L, 1_000_000_000L / rate));
        }
        writer.flush();
        return results;
    }

    private List<String> enrichmentArgs(LocalPipeline pipeline, String inputs, String transactionsTopic,
            String outputs, JobConfig config, boolean bounded, Path dir) {
        List<String> args = new ArrayList<>(List.of("run", "transactions-enrichment",
                "--bootstrap-servers", pipeline.kafka().bootstrapServers(), "--registry-url", pipeline.registry().url(),
                "--local-dir", dir.toString()));
        Map<String, String> options = Map.ofEntries(
                Map.entry("tributary.topics.transactions", transactionsTopic),
                Map.entry("tributary.topics.accounts", inputs + TopicContract.ACCOUNT_PROFILES.topic()),
                Map.entry("tributary.topics.merchants", inputs + TopicContract.MERCHANTS.topic()),
                Map.entry("tributary.topics.fx-rates", inputs + TopicContract.FX_RATES.topic()),
                Map.entry("tributary.topics.enriched", outputs + TopicContract.ENRICHED_TRANSACTIONS.topic()),
                Map.entry("tributary.topics.late", outputs + TopicContract.LATE_TRANSACTIONS.topic()),
                Map.entry("tributary.topics.dead-letters", outputs + TopicContract.DEAD_LETTERS.topic()),
                Map.entry("tributary.kafka.stop-at-latest", String.valueOf(bounded)),
                Map.entry("tributary.kafka.starting-offsets", "EARLIEST"),
                Map.entry("tributary.kafka.group-id", outputs + "enrichment"),
                // Flink reads this enum by its text: exactly-once, at-least-once.
                Map.entry("tributary.kafka.delivery-guarantee", config.guarantee().toString()),
                Map.entry("tributary.enrichment.transactional-id-prefix", outputs + "enrichment"),
                Map.entry("execution.checkpointing.interval", config.checkpoint()),
                Map.entry("parallelism.default", "2"));
        Map<String, String> all = new LinkedHashMap<>(options);
        all.putAll(routing.forFlinkJob(new TransactionsEnrichmentJob().options()));
        addOptions(args, all);
        return args;
    }

    /** Adds {@code options} to a job's command line as {@code -D key=value}. */
    private static void addOptions(List<String> args, Map<String, String> options) {
        options.forEach((key, value) -> {
            args.add("-D");
            args.add(key + "=" + value);
        });
    }

    private static List<String> outputTopics(String prefix) {
        return List.of(prefix + TopicContract.ENRICHED_TRANSACTIONS.topic(), prefix + TopicContract.LATE_TRANSACTIONS.topic(),
                prefix + TopicContract.DEAD_LETTERS.topic());
    }

    private static Map<String, String> environment() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.of("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(key));
    }

    /** The event id {@code eventIdOf} reads from the record in {@code bytes}: what a latency run times by. */
    private static <T> Object eventId(ConfluentAvroDeserializationSchema<T> deserializer, byte[] bytes,
            Function<T, Object> eventIdOf) {
        try {
            return eventIdOf.apply(deserializer.deserialize(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new output topic, partitioned as the payment topic. */
    private String fresh(LocalPipeline pipeline, String name) {
        String topic = "bench-" + name + "-" + (++runs);
        pipeline.kafka().createTopic(topic, TopicContract.TRANSACTIONS.partitions());
        return topic;
    }

    private Path runDir(String name) throws IOException {
        Path dir = workDir.resolve(name + "-" + System.currentTimeMillis()).toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    /** Prints {@code row} as a line of the table; returns it. */
    private static Row print(PrintWriter out, Row row) {
        double[] l = row.latencyMillis();
        out.printf("| %s | %s | %s | %s | %,d | %,.0f | %s | %s | %s | %s | %s | %s |%n", row.what(), row.guarantee(),
                row.checkpoint(), row.load(), row.results(), row.perSecond(),
                row.secondHalfPerSecond() == 0 ? "-" : String.format("%,.0f", row.secondHalfPerSecond()),
                l == null ? "-" : String.format("%.0f / %.0f / %.0f / %.0f", l[0], l[1], l[2], l[3]),
                row.peakRssMib() == 0 ? "-" : row.peakRssMib() + " MiB",
                row.cpuMicrosPerResult() == 0 ? "-" : String.format("%.0f", row.cpuMicrosPerResult()),
                row.topThreads(), row.note());
        out.flush();
        return row;
    }
}
