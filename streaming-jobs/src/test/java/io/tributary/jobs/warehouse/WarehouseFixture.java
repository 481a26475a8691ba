package io.tributary.jobs.warehouse;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.FxRate;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.enrichment.EnrichmentItSetup;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.maintenance.TableMaintenance;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.FailureInjector;
import io.tributary.testing.TestAlerts;
import io.tributary.testing.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the warehouse ITs share, prepared once per test JVM by {@link WarehouseFixtureExtension}:
 * the warehouse end to end on real Kafka, a real registry and Iceberg tables on local files.
 * Generated payments (with duplicates, malformed records and out-of-order events over four hours of
 * event time) go through the enrichment job, while warehouse-sink writes all six tables through two
 * failures (in the raw or the enriched table's pipeline, each restarting the job), injected after
 * completed checkpoints, and compaction and snapshot expiry run on its tables.
 *
 * <p>The tables it leaves are read-only for the tests: a test that changes tables (a backfill,
 * compaction, expiry, a schema change) works on its own deep copy: a {@link LocalWarehouse}
 * parameter of the test ({@link WarehouseFixtureExtension}). At the end of the run the fixture fails
 * if a shared table changed.
 */
final class WarehouseFixture implements AutoCloseable {
    static final int RECORDS = 20_000;
    /** Shared by the raw and enriched tables' injectors: two failures, two restarts, in either table. */
    static final String FAILURES = "warehouse-sink";

    /** The topics, the contracts registered, the tokenization key and the enrichment job's options. */
    final EnrichmentItSetup setup;
    /** The first hour of event time; the payments span four hours from it. */
    final Instant start;
    /** Every record written to the payments topic, in order, with what kind of traffic it is. */
    final List<GeneratedTransaction> input;
    final List<FxRate> rates;
    final int accounts;
    final int merchants;
    /** What the enrichment job committed to its topic (read_committed). */
    final List<EnrichedTransaction> enrichedTopic;
    /** The alerts written to the alerts topic: one for every 40th enriched payment. */
    final List<FraudAlert> alerts;
    /** How often compaction and expiry ran while the sink wrote. */
    final int compactions;
    final int expiries;
    /** The tables as warehouse-sink left them: read them, change only copies ({@link #copyOfTheTables}). */
    final LocalWarehouse warehouse;
    /** The rows of the raw and enriched tables as warehouse-sink left them, read once. */
    final List<Map<String, Object>> rawRows;
    final List<Map<String, Object>> enrichedRows;

    private final Map<WarehouseTable, String> metadataAfterTheSink;
    private final List<Path> folders = new ArrayList<>();
    private final AtomicInteger copies = new AtomicInteger();

    WarehouseFixture(KafkaBroker kafka, SchemaRegistryServer registry) throws Exception {
        setup = new EnrichmentItSetup("warehouse.", kafka, registry);
        setup.options.put("tributary.kafka.stop-at-latest", "true");
        // Four hours of event time, all of it over well before now, so that the backfill may cover it.
        start = Instant.now().minus(Duration.ofHours(7)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(505).accounts(300).merchants(60).start(start).meanGap(Duration.ofMillis(650))
                .duplicateRate(0.05).malformedRate(0.02).outOfOrder(0.05, Duration.ofSeconds(3))
                .late(0, Duration.ofMinutes(30)));
        rates = generator.fxRates(start, start.plus(Duration.ofHours(5)));
        accounts = generator.accounts().size();
        merchants = generator.merchants().size();

        // warehouse-sink first, unbounded as in production: it takes the payments as they are written
        // and the enriched payments and alerts as they come, with two failures; meanwhile compaction
        // and snapshot expiry run again and again on the tables it writes, as the CronJobs do.
        Path folder = temporaryFolder("warehouse");
        Configuration sinkConf = sinkConfiguration(kafka, registry, folder);
        WarehouseSettings settings = WarehouseSettings.from(sinkConf,
                Map.of("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(new byte[32])))
                .withInlineKey(setup.key);
        WarehouseCatalog catalog = settings.catalog();
        catalog.createOrEvolveTables();
        LocalWarehouse tables = new LocalWarehouse(catalog);
        warehouse = tables;
        try {
            StreamExecutionEnvironment sinkEnv = JobEnvironments.create(WarehouseSinkJob.NAME, sinkConf,
                    temporaryFolder("warehouse-sink"));
            WarehouseSinkJob.build(sinkEnv, catalog, WarehouseSources.kafka(settings, catalog.currentSchemas()),
                    (table, rows) -> switch (table) {
                        case RAW_TRANSACTIONS -> inject(rows, "raw");
                        case TRANSACTIONS_ENRICHED -> inject(rows, "enriched");
                        default -> rows;
                    });
            JobClient sink = sinkEnv.executeAsync(WarehouseSinkJob.NAME);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger compacted = new AtomicInteger();
            AtomicInteger expired = new AtomicInteger();
            ExecutorService maintenance = Executors.newSingleThreadExecutor();
            Future<?> maintained = maintenance.submit(() -> {
                while (writing.get()) {
                    maintainWhileTheSinkWrites(tables, compacted, expired);
                }
                return null;
            });
            List<GeneratedTransaction> written = new ArrayList<>();
            List<EnrichedTransaction> enriched;
            List<FraudAlert> alerted = new ArrayList<>();
            try {
                try (TrafficWriter writer = new TrafficWriter(kafka.bootstrapServers(),
                        setup.pipeline.registryConfig(), setup.prefix)) {
                    writer.writeReferenceData(generator.accounts(), generator.merchants(), rates);
                    for (int i = 0; i < RECORDS; i++) {
                        GeneratedTransaction g = generator.next();
                        written.add(g);
                        writer.write(g);
                        if (i % 1_000 == 999) {
                            writer.flush();
                            Thread.sleep(200);
                        }
                    }
                    writer.flush();
                }

                var enrichment = setup.settings();
                StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME,
                        setup.configuration(), temporaryFolder("warehouse-enrichment"));
                TransactionsEnrichmentJob.build(env, enrichment.parameters(), enrichment.quality(), EnrichmentSources.kafka(enrichment),
                        EnrichmentSinks.kafka(enrichment));
                env.execute(TransactionsEnrichmentJob.NAME);
                enriched = decode(TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched")),
                        EnrichedTransaction.class, setup);

                try (var writer = new DownstreamTopicsWriter(kafka.bootstrapServers(),
                        setup.pipeline.registryConfig(), setup.prefix)) {
                    for (int i = 0; i < enriched.size(); i += 40) {
                        FraudAlert alert = alert(enriched.get(i));
                        alerted.add(alert);
                        writer.alert(alert);
                    }
                    writer.flush();
                }

                // The job runs until every table has what its topic holds, then a little longer (a
                // duplicate would show), and is cancelled.
                awaitRows(tables, Map.of(
                        WarehouseTable.RAW_TRANSACTIONS, written.stream().filter(g -> !g.kind().rejected()).count(),
                        WarehouseTable.TRANSACTIONS_ENRICHED, (long) enriched.size(),
                        WarehouseTable.FRAUD_ALERTS, (long) alerted.size(),
                        WarehouseTable.ACCOUNTS, (long) accounts,
                        WarehouseTable.MERCHANTS, (long) merchants,
                        WarehouseTable.FX_RATES, (long) rates.size()), Duration.ofMinutes(3));
                awaitCommittedWatermarks(tables, Duration.ofMinutes(1));
                Thread.sleep(3_000);
            } finally {
                writing.set(false);
                maintenance.shutdown();
                sink.cancel().get(1, TimeUnit.MINUTES);
            }
            maintained.get(1, TimeUnit.MINUTES);
            input = List.copyOf(written);
            enrichedTopic = List.copyOf(enriched);
            alerts = List.copyOf(alerted);
            compactions = compacted.get();
            expiries = expired.get();
            rawRows = List.copyOf(TableRows.read(tables.table(WarehouseTable.RAW_TRANSACTIONS)));
            enrichedRows = List.copyOf(TableRows.read(tables.table(WarehouseTable.TRANSACTIONS_ENRICHED)));
            metadataAfterTheSink = tables.metadataFiles();
            tables.printTableSizes("after warehouse-sink (" + compactions + " compactions and " + expiries
                    + " expiries ran while it wrote)");
        } catch (Exception | Error e) {
            tables.close();
            deleteFolders();
            throw e;
        }
    }

    /**
     * A deep copy of the six tables, in a namespace of their own (named after {@code purpose}) in the
     * same warehouse, for a test that changes tables: close it when done.
     */
    LocalWarehouse copyOfTheTables(String purpose) {
        return warehouse.copyTo(purpose + "_" + copies.incrementAndGet());
    }

    /** How many failures the sink's injectors threw. */
    int failuresInjected() {
        return FailureInjector.injected(FAILURES);
    }

    /** The hour partition (hours since the epoch) of an instant, as the tables name it. */
    static String partition(Instant t) {
        return String.valueOf(t.toEpochMilli() / 3_600_000L);
    }

    /** Deletes the run's folders; fails if a test changed the shared tables instead of a copy. */
    @Override
    public void close() {
        Map<WarehouseTable, String> atTheEnd;
        try {
            atTheEnd = warehouse.metadataFiles();
        } finally {
            warehouse.close();
            deleteFolders();
        }
        if (!atTheEnd.equals(metadataAfterTheSink)) {
            throw new IllegalStateException("A test changed the shared warehouse tables, which every warehouse IT"
                    + " reads: change a copy (WarehouseFixture.copyOfTheTables). Metadata files after the sink "
                    + metadataAfterTheSink + ", at the end of the run " + atTheEnd);
        }
    }

    private Path temporaryFolder(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        folders.add(folder);
        return folder;
    }

    private void deleteFolders() {
        for (Path folder : folders) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("Could not delete " + folder + ": " + e);
            }
        }
    }

    private Configuration sinkConfiguration(KafkaBroker kafka, SchemaRegistryServer registry, Path folder) {
        Map<String, String> options = new HashMap<>();
        options.put("tributary.kafka.bootstrap-servers", kafka.bootstrapServers());
        options.put("tributary.registry.url", registry.url());
        options.put("tributary.kafka.group-id", setup.prefix + "warehouse-sink");
        options.put("tributary.warehouse.location", folder.toUri().toString());
        options.put("parallelism.default", "2");
        for (String topic : new String[] {"transactions", "accounts", "merchants", "fx-rates", "enriched",
            "fraud-alerts"}) {
            options.put("tributary.topics." + topic, setup.topic(topic));
        }
        return JobConfiguration.resolve(null, options, WarehouseOptions.sinkOptions()).configuration();
    }

    private static DataStream<RowData> inject(DataStream<RowData> rows, String name) {
        return rows.map(new FailureInjector<>(FAILURES, 2), rows.getType()).name(name + " failure injector")
                .uid(name + "-failure-injector");
    }

    private static FraudAlert alert(EnrichedTransaction payment) {
        FraudAlert a = TestAlerts.alert(payment, "warehouse-test", payment.getEventTime().plusSeconds(6));
        a.setEvidence(List.of(Evidence.newBuilder().setName("card.count_10m").setValue(7).setLimit(5.0).build()));
        return a;
    }

    /** Waits until each table has at least the rows expected, committed (read through the catalog). */
    private static void awaitRows(LocalWarehouse tables, Map<WarehouseTable, Long> expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<WarehouseTable, Long> found = Map.of();
        while (System.nanoTime() < deadline) {
            Map<WarehouseTable, Long> now = expected.keySet().stream()
                    .collect(Collectors.toMap(t -> t, t -> committedRows(tables.table(t))));
            found = now;
            if (expected.entrySet().stream().allMatch(e -> now.get(e.getKey()) >= e.getValue())
                    && FailureInjector.injected(FAILURES) == 2) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The tables did not fill up in " + timeout + ": expected " + expected + ", found " + found);
    }

    /**
     * Waits until each event table's committed watermark ({@link CommittedWatermark}) is within ten
     * minutes of its newest row. The sink read the enriched payments and the alerts in bursts, hours
     * of event time in a second, so the watermark at the barrier of their last checkpoint with data
     * can be far behind; the sink's Iceberg committer commits the empty checkpoints after it only
     * every tenth, and the marker follows then. A live stream never stops like this.
     */
    private static void awaitCommittedWatermarks(LocalWarehouse tables, Duration timeout) throws InterruptedException {
        Map<WarehouseTable, Instant> wanted = new HashMap<>();
        for (WarehouseTable t : WarehouseTable.values()) {
            if (!t.isChangelog()) {
                wanted.put(t, TableRows.read(tables.table(t)).stream().map(r -> (Instant) r.get(WarehouseTable.EVENT_TIME))
                        .max(Instant::compareTo).orElseThrow().minus(Duration.ofMinutes(10)));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<WarehouseTable, Instant> found = new HashMap<>();
        while (System.nanoTime() < deadline) {
            wanted.keySet().forEach(t -> CommittedWatermark.of(tables.table(t)).ifPresent(w -> found.put(t, w)));
            if (wanted.entrySet().stream().allMatch(e -> found.containsKey(e.getKey())
                    && !found.get(e.getKey()).isBefore(e.getValue()))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("warehouse-sink's committed watermarks did not reach " + wanted + " in " + timeout
                + ": found " + found);
    }

    /** Compacts the first hours of the two busiest tables and expires every snapshot it may. */
    private void maintainWhileTheSinkWrites(LocalWarehouse tables, AtomicInteger compacted, AtomicInteger expired)
            throws InterruptedException {
        for (WarehouseTable t : List.of(WarehouseTable.RAW_TRANSACTIONS, WarehouseTable.TRANSACTIONS_ENRICHED)) {
            if (tables.table(t).currentSnapshot() == null) {
                continue;
            }
            for (int hour = 0; hour < 2; hour++) {
                TableMaintenance.compactHour(StreamExecutionEnvironment.getExecutionEnvironment(new Configuration()),
                        tables.table(t), start.plus(Duration.ofHours(hour)));
                compacted.incrementAndGet();
            }
            TableMaintenance.expireSnapshots(tables.table(t), Duration.ZERO, 1, Instant.now());
            expired.incrementAndGet();
        }
        Thread.sleep(200);
    }

    private static long committedRows(Table t) {
        return t.currentSnapshot() == null ? 0
                : Long.parseLong(t.currentSnapshot().summary().getOrDefault("total-records", "0"));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(
            List<ConsumerRecord<byte[], byte[]>> records, Class<T> type, EnrichmentItSetup setup) throws Exception {
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(type).registry(setup.pipeline.registryConfig())
                .build();
        List<T> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(deserializer.deserialize(record.value()));
        }
        return values;
    }
}
