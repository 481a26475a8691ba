package io.tributary.benchmarks.endtoend;

import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudRule;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.jobs.warehouse.WarehouseCatalog;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput and latency of the enrichment job end to end, next to this machine's ceilings measured
 * in the same run: a plain Kafka copy (no Flink) and a Flink pass-through job. The broker and the
 * registry run in this JVM; each job runs in a JVM of its own, whose peak memory is measured.
 * Prints one Markdown table row per measurement.
 */
@Command(name = "end-to-end", mixinStandardHelpOptions = true,
        description = "Measures the enrichment job against the machine's ceilings; prints Markdown table rows.")
public final class EndToEndBenchmark implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "2000000", description = "Payment records pre-loaded (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--latency-seconds", defaultValue = "30",
            description = "How long each latency measurement offers load (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--quick", description = "One measurement of each kind: a smoke test of the harness.")
    boolean quick;

    @Option(names = "--job-option", paramLabel = "KEY=VALUE",
            description = "A Flink or Tributary option for every enrichment run, e.g. taskmanager.memory.managed.size=512m;"
                    + " repeatable. To see what a setting changes.")
    Map<String, String> jobOptions = new LinkedHashMap<>();

    @Option(names = "--work-dir", defaultValue = "target/benchmark-runs",
            description = "Where the jobs' logs and checkpoints go (default: ${DEFAULT-VALUE}).")
    Path workDir;

    private final List<Row> rows = new ArrayList<>();
    private int runs;

    /** One line of the results table. */
    public record Row(String what, String guarantee, String checkpoint, String load, long results, double perSecond,
            double secondHalfPerSecond, double[] latencyMillis, long peakRssMib, double cpuMicrosPerResult,
            String note) {
        /** A row of a job run in {@code job}: its memory, and its CPU time over {@code results}. */
        static Row of(String what, String guarantee, String checkpoint, String load, long results, double perSecond,
                double secondHalfPerSecond, double[] latencyMillis, ChildJob job, String note) {
            double cpu = results == 0 ? 0 : job.cpuTime().toNanos() / 1000.0 / results;
            return new Row(what, guarantee, checkpoint, load, results, perSecond, secondHalfPerSecond, latencyMillis,
                    job.peakRssMib(), cpu, note);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EndToEndBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        out.println(Machine.describe());
        if (!jobOptions.isEmpty()) {
            out.println("Enrichment runs with " + jobOptions);
        }
        LocalPipeline pipeline = LocalPipeline.prepare();
        Workload workload = Workload.preload(pipeline, "bench" + System.currentTimeMillis() % 100_000 + ".", records, 7);
        out.printf("Pre-loaded %d payment records (%d produce a result) into %s%n", workload.records(),
                workload.results(), workload.transactionsTopic());

        out.println("| what | guarantee | checkpoints | offered load | results | results/s | second half /s | latency"
                + " p50 / p95 / p99 / max ms | job peak RSS | job CPU µs/result | note |");
        out.println("|---|---|---|---|---:|---:|---:|---|---:|---:|---|");
        String bootstrap = pipeline.kafka().bootstrapServers();
        double copyAtLeastOnce = KafkaCopy.copy(bootstrap, workload.transactionsTopic(), fresh(pipeline, "copy"), false,
                workload.records());
        add(out, new Row("Kafka copy (no Flink)", "at least once", "-", "max", workload.records(), copyAtLeastOnce,
                0, null, 0, 0, "one consumer, one producer"));
        double copyExactlyOnce = KafkaCopy.copy(bootstrap, workload.transactionsTopic(), fresh(pipeline, "copy-eo"),
                true, workload.records());
        add(out, new Row("Kafka copy (no Flink)", "exactly once", "1 s", "max", workload.records(), copyExactlyOnce,
                0, null, 0, 0, "a transaction a second"));
        add(out, passThrough(pipeline, workload));

        List<JobConfig> configs = quick ? List.of(new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"))
                : List.of(new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "1s"),
                        new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "200ms"),
                        new JobConfig(DeliveryGuarantee.EXACTLY_ONCE, "5s"),
                        new JobConfig(DeliveryGuarantee.AT_LEAST_ONCE, "1s"));
        double maximum = 0;
        String enrichedTopic = null;
        for (JobConfig config : configs) {
            Row row = enrichmentThroughput(pipeline, workload, config);
            add(out, row);
            if (maximum == 0) {
                maximum = row.perSecond();
                enrichedTopic = "bench-out" + runs + "." + TopicContract.ENRICHED_TRANSACTIONS.topic();
            }
        }
        // fraud-detection reads what the first (exactly-once) enrichment run wrote.
        String fraudOutputs = "bench-fraud" + (++runs) + ".";
        Row fraud = fraudThroughput(pipeline, enrichedTopic, fraudOutputs);
        add(out, fraud);
        // warehouse-sink takes all of it: the raw payments, the changelogs, the enriched payments, the alerts.
        add(out, warehouseThroughput(pipeline, workload, enrichedTopic, fraudOutputs + TopicContract.FRAUD_ALERTS.topic(),
                fraud.results()));
        for (JobConfig config : configs) {
            for (double load : quick ? new double[] {0.25} : new double[] {0.25, 0.5, 0.75}) {
                add(out, enrichmentLatency(pipeline, workload, config, load, maximum));
            }
        }
        out.printf("%nRatios to the exactly-once Kafka copy (%.0f/s): enrichment %.2f, fraud-detection %.2f,"
                        + " Flink pass-through %.2f%n", copyExactlyOnce, maximum / copyExactlyOnce,
                fraud.perSecond() / copyExactlyOnce, rows.get(2).perSecond() / copyExactlyOnce);
        return 0;
    }

    /** The rows measured so far. */
    public List<Row> rows() {
        return rows;
    }

    private record JobConfig(DeliveryGuarantee guarantee, String checkpoint) {
        String guaranteeText() {
            return guarantee == DeliveryGuarantee.EXACTLY_ONCE ? "exactly once" : "at least once";
        }
    }

    private Row passThrough(LocalPipeline pipeline, Workload workload) throws Exception {
        String output = fresh(pipeline, "pass-through");
        Path dir = runDir("pass-through");
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(), List.of(output), null,
                        null, 0);
                ChildJob job = ChildJob.start(PassThroughJob.class.getName(), List.of(
                        "--bootstrap-servers", pipeline.kafka().bootstrapServers(), "--input",
                        workload.transactionsTopic(), "--output", output, "--checkpoint-interval", "1s",
                        "--stop-at-latest", "--local-dir", dir.toString()), Map.of(), dir.resolve("job.log"))) {
            int exit = job.awaitExit(Duration.ofMinutes(30));
            watcher.await(workload.records(), Duration.ofSeconds(30));
            return Row.of("Flink pass-through", "exactly once", "1 s", "max", watcher.count(), watcher.throughput(),
                    watcher.secondHalfThroughput(), null, job,
                    exit == 0 ? "read, write, nothing else" : "EXIT " + exit + ", see " + dir);
        }
    }

    private Row enrichmentThroughput(LocalPipeline pipeline, Workload workload, JobConfig config) throws Exception {
        String outputs = "bench-out" + (++runs) + ".";
        pipeline.kafka().createTopics(TributaryTopics.newTopics(outputs));
        Path dir = runDir("enrichment-" + runs);
        List<String> args = enrichmentArgs(pipeline, workload.prefix(), workload.transactionsTopic(), outputs, config,
                true, dir);
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(), outputTopics(outputs),
                        null, null, 0);
                ChildJob job = ChildJob.start("io.tributary.cli.Tributary", args, environment(), dir.resolve("job.log"))) {
            int exit = job.awaitExit(Duration.ofMinutes(30));
            boolean complete = watcher.await(workload.results(), Duration.ofSeconds(30));
            String note = exit != 0 ? "EXIT " + exit + ", see " + dir
                    : complete ? "all results arrived" : "ONLY " + watcher.count() + " of " + workload.results();
            return Row.of("transactions-enrichment", config.guaranteeText(), config.checkpoint(), "max",
                    watcher.count(), watcher.throughput(), watcher.secondHalfThroughput(), null, job, note);
        }
    }

    /**
     * fraud-detection over the enriched topic of an enrichment run, with Redis, and one rule that
     * fires on every payment (card.count_24h above 0): every payment becomes an alert, which a
     * read_committed consumer can time as it times the enrichment's results.
     */
    private Row fraudThroughput(LocalPipeline pipeline, String enrichedTopic, String outputs) throws Exception {
        pipeline.kafka().createTopics(TributaryTopics.newTopics(outputs));
        String rules = outputs + TopicContract.FRAUD_RULES.topic();
        String alerts = outputs + TopicContract.FRAUD_ALERTS.topic();
        try (TrafficWriter writer = new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(),
                outputs)) {
            writer.writeRule(FraudRule.newBuilder().setRuleId("every-payment").setVersion(1).setEnabled(true)
                    .setType(RuleType.FEATURE_THRESHOLD).setSeverity(Severity.LOW).setEffectiveFrom(Instant.EPOCH)
                    .setDescription("Fires on every payment, so that each one yields an output to time")
                    .setFeature("card.count_24h").setThreshold(0.0).build());
            writer.flush();
        }
        RedisServer redis = LocalServers.redis();
        Path dir = runDir("fraud-" + runs);
        List<String> args = new ArrayList<>(List.of("run", "fraud-detection",
                "--bootstrap-servers", pipeline.kafka().bootstrapServers(), "--registry-url", pipeline.registry().url(),
                "--local-dir", dir.toString()));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("tributary.topics.enriched", enrichedTopic);
        options.put("tributary.topics.fraud-rules", rules);
        options.put("tributary.topics.fraud-alerts", alerts);
        options.put("tributary.topics.dead-letters", outputs + TopicContract.DEAD_LETTERS.topic());
        options.put("tributary.kafka.stop-at-latest", "true");
        options.put("tributary.kafka.starting-offsets", "EARLIEST");
        options.put("tributary.kafka.group-id", outputs + "fraud");
        options.put("tributary.fraud.transactional-id-prefix", outputs + "fraud");
        options.put("tributary.redis.host", redis.host());
        options.put("tributary.redis.port", String.valueOf(redis.port()));
        options.put("tributary.redis.key-prefix", outputs + "features:");
        options.put("execution.checkpointing.interval", "1s");
        options.put("parallelism.default", "2");
        options.forEach((key, value) -> {
            args.add("-D");
            args.add(key + "=" + value);
        });
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(), List.of(alerts), null,
                        null, 0);
                ChildJob job = ChildJob.start("io.tributary.cli.Tributary", args, Map.of(), dir.resolve("job.log"))) {
            int exit = job.awaitExit(Duration.ofMinutes(30));
            // A bounded job commits its last transaction before it ends; the watcher needs a moment.
            watcher.await(Long.MAX_VALUE, Duration.ofSeconds(3));
            return Row.of("fraud-detection", "exactly once", "1s", "max", watcher.count(), watcher.throughput(),
                    watcher.secondHalfThroughput(), null, job,
                    exit == 0 ? "one alert per payment; features to Redis" : "EXIT " + exit + ", see " + dir);
        }
    }

    /**
     * warehouse-sink, as a stream (it runs no other way), from the earliest offsets of the workload's
     * topics, the first enrichment run's output and fraud-detection's alerts, until the raw, enriched
     * and alert tables hold them all. Rows per second are counted from the first commit to the last.
     */
    private Row warehouseThroughput(LocalPipeline pipeline, Workload workload, String enrichedTopic, String alertsTopic,
            long alerts) throws Exception {
        long enriched;
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(), List.of(enrichedTopic), null,
                null, 0)) {
            // Whatever the topic holds: read until three seconds pass with nothing new.
            long seen = -1;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while ((watcher.count() != seen || seen == 0) && System.nanoTime() < deadline) {
                seen = watcher.count();
                Thread.sleep(3_000);
            }
            enriched = watcher.count();
        }
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
        options.forEach((key, value) -> {
            args.add("-D");
            args.add(key + "=" + value);
        });
        long expected = workload.raw() + enriched + alerts;
        try (ChildJob job = ChildJob.start("io.tributary.cli.Tributary", args, environment(), dir.resolve("job.log"))) {
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
            return Row.of("warehouse-sink", "exactly once", "1 s", "max", committed,
                    seconds > 0 ? committed / seconds : 0, 0, null, job,
                    committed == expected ? "raw, enriched and alert rows, first commit to last"
                            : "ONLY " + committed + " of " + expected + " rows, see " + dir);
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

    private Row enrichmentLatency(LocalPipeline pipeline, Workload workload, JobConfig config, double load,
            double maximum) throws Exception {
        String run = "bench-lat" + (++runs) + ".";
        pipeline.kafka().createTopics(TributaryTopics.newTopics(run));
        String input = run + TopicContract.TRANSACTIONS.topic();
        Path dir = runDir("latency-" + runs);
        int rate = (int) Math.max(100, maximum * load);
        Map<Object, Long> sendTimes = new ConcurrentHashMap<>();
        var enriched = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(pipeline.registryConfig()).build();
        List<String> args = enrichmentArgs(pipeline, workload.prefix(), input, run, config, false, dir);
        try (OutputWatcher watcher = new OutputWatcher(pipeline.kafka().bootstrapServers(),
                        List.of(run + TopicContract.ENRICHED_TRANSACTIONS.topic()), sendTimes,
                        bytes -> eventId(enriched, bytes), rate * latencySeconds);
                ChildJob job = ChildJob.start("io.tributary.cli.Tributary", args, environment(), dir.resolve("job.log"));
                TrafficWriter writer = new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(),
                        run)) {
            PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                    .seed(runs).accounts(10_000).merchants(500).start(Instant.now())
                    .meanGap(Duration.ofNanos(1_000_000_000L / rate)).late(0, Duration.ofMinutes(10)));
            // Until the job has started and read the reference data, a trickle: a backlog offered to a job
            // still starting would be measured as latency. Then a warm-up (JIT) at the full rate.
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (watcher.count() == 0 && job.isAlive() && System.nanoTime() < deadline) {
                offer(writer, generator, 100, Duration.ofSeconds(1), null);
            }
            offer(writer, generator, rate, Duration.ofSeconds(quick ? 5 : 15), null);
            long measured = offer(writer, generator, rate, Duration.ofSeconds(latencySeconds), sendTimes);
            watcher.await(watcher.count() + measured, Duration.ofSeconds(30));
            return Row.of("transactions-enrichment", config.guaranteeText(), config.checkpoint(),
                    String.format("%.0f%% (%d/s)", load * 100, rate), measured, rate, 0,
                    watcher.latencyPercentilesMillis(), job,
                    job.isAlive() ? "latency from send to read_committed receipt" : "JOB DIED, see " + dir);
        }
    }

    /** Offers {@code rate} payments a second for {@code duration}; returns how many will produce a result. */
    private static long offer(TrafficWriter writer, PaymentEventGenerator generator, int rate, Duration duration,
            Map<Object, Long> sendTimes) {
        long start = System.nanoTime();
        long sent = 0;
        long results = 0;
        while (System.nanoTime() - start < duration.toNanos()) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            for (; sent < due; sent++) {
                GeneratedTransaction g = generator.next();
                boolean result = g.kind() != TrafficKind.DUPLICATE && !g.kind().rejected();
                if (sendTimes != null && result) {
                    sendTimes.put(g.transaction().getEventId(), System.nanoTime());
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
        all.putAll(jobOptions);
        all.forEach((key, value) -> {
            args.add("-D");
            args.add(key + "=" + value);
        });
        return args;
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

    private static Object eventId(ConfluentAvroDeserializationSchema<EnrichedTransaction> deserializer, byte[] bytes) {
        try {
            return deserializer.deserialize(bytes).getEventId();
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

    private void add(PrintWriter out, Row row) {
        rows.add(row);
        double[] l = row.latencyMillis();
        out.printf("| %s | %s | %s | %s | %,d | %,.0f | %s | %s | %s | %s | %s |%n", row.what(), row.guarantee(),
                row.checkpoint(), row.load(), row.results(), row.perSecond(),
                row.secondHalfPerSecond() == 0 ? "-" : String.format("%,.0f", row.secondHalfPerSecond()),
                l == null ? "-" : String.format("%.0f / %.0f / %.0f / %.0f", l[0], l[1], l[2], l[3]),
                row.peakRssMib() == 0 ? "-" : row.peakRssMib() + " MiB",
                row.cpuMicrosPerResult() == 0 ? "-" : String.format("%.0f", row.cpuMicrosPerResult()), row.note());
        out.flush();
    }
}
