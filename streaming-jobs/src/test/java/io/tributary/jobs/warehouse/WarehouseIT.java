package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.Tributary;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.backfill.Backfill;
import io.tributary.jobs.backfill.BackfillRange;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.enrichment.EnrichmentItSetup;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.maintenance.TableMaintenance;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.FailureInjector;
import io.tributary.testing.PiiCanary;
import io.tributary.testing.TestAlerts;
import io.tributary.testing.TopicReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.avro.SchemaBuilder;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warehouse end to end on real Kafka, a real registry and Iceberg tables on local files:
 * generated payments (with duplicates, malformed records and out-of-order events over four hours of
 * event time) go through the enrichment job, then warehouse-sink writes all six tables through two
 * failures (in the raw or the enriched table's pipeline, each restarting the job), injected after
 * completed checkpoints, while compaction and snapshot expiry run on its tables. Then the backfill recomputes
 * the enriched table from the raw one, DuckDB queries it, and maintenance compacts and expires.
 * The tests run in order: the backfills change the table.
 */
@ExtendWith(LocalServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarehouseIT {
    private static final int RECORDS = 20_000;
    /** Shared by the raw and enriched tables' injectors: two failures, two restarts, in either table. */
    private static final String FAILURES = "warehouse-sink";

    private final List<GeneratedTransaction> input = new ArrayList<>();
    private volatile int compactions;
    private volatile int expiries;
    private List<FxRate> rates;
    private int accounts;
    private int merchants;
    private Instant start;
    private EnrichmentItSetup setup;
    private WarehouseCatalog catalog;
    private Catalog opened;
    private List<EnrichedTransaction> enrichedTopic;
    private final List<FraudAlert> alerts = new ArrayList<>();
    private List<Map<String, Object>> rawRows;
    private List<Map<String, Object>> enrichedRows;

    @BeforeAll
    void runTheStreamingJobs(KafkaBroker kafka, SchemaRegistryServer registry) throws Exception {
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
        Path warehouse = Files.createTempDirectory("warehouse");
        Configuration sinkConf = sinkConfiguration(kafka, registry, warehouse);
        WarehouseSettings settings = WarehouseSettings.from(sinkConf,
                Map.of("TRIBUTARY_TOKENIZATION_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32])))
                .withInlineKey(setup.key);
        catalog = settings.catalog();
        catalog.createOrEvolveTables();
        opened = catalog.open();
        StreamExecutionEnvironment sinkEnv = JobEnvironments.create(WarehouseSinkJob.NAME, sinkConf,
                Files.createTempDirectory("warehouse-sink"));
        WarehouseSinkJob.build(sinkEnv, catalog, WarehouseSources.kafka(settings, catalog.currentSchemas()),
                (table, rows) -> switch (table) {
                    case RAW_TRANSACTIONS -> inject(rows, "raw");
                    case TRANSACTIONS_ENRICHED -> inject(rows, "enriched");
                    default -> rows;
                });
        JobClient sink = sinkEnv.executeAsync(WarehouseSinkJob.NAME);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService maintenance = Executors.newSingleThreadExecutor();
        Future<?> maintained = maintenance.submit(() -> {
            while (writing.get()) {
                maintainWhileTheSinkWrites();
            }
            return null;
        });
        try {
            try (TrafficWriter writer = new TrafficWriter(kafka.bootstrapServers(), setup.pipeline.registryConfig(),
                    setup.prefix)) {
                writer.writeReferenceData(generator.accounts(), generator.merchants(), rates);
                for (int i = 0; i < RECORDS; i++) {
                    GeneratedTransaction g = generator.next();
                    input.add(g);
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
                    setup.configuration(), Files.createTempDirectory("warehouse-enrichment"));
            TransactionsEnrichmentJob.build(env, enrichment.parameters(), EnrichmentSources.kafka(enrichment),
                    EnrichmentSinks.kafka(enrichment));
            env.execute(TransactionsEnrichmentJob.NAME);
            enrichedTopic = decode(TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched")),
                    EnrichedTransaction.class, setup);

            try (var writer = new io.tributary.testing.DownstreamTopicsWriter(kafka.bootstrapServers(),
                    setup.pipeline.registryConfig(), setup.prefix)) {
                for (int i = 0; i < enrichedTopic.size(); i += 40) {
                    FraudAlert alert = alert(enrichedTopic.get(i));
                    alerts.add(alert);
                    writer.alert(alert);
                }
                writer.flush();
            }

            // The job runs until every table has what its topic holds, then a little longer (a
            // duplicate would show), and is cancelled.
            awaitRows(Map.of(
                    WarehouseTable.RAW_TRANSACTIONS, input.stream().filter(g -> !g.kind().rejected()).count(),
                    WarehouseTable.TRANSACTIONS_ENRICHED, (long) enrichedTopic.size(),
                    WarehouseTable.FRAUD_ALERTS, (long) alerts.size(),
                    WarehouseTable.ACCOUNTS, (long) accounts,
                    WarehouseTable.MERCHANTS, (long) merchants,
                    WarehouseTable.FX_RATES, (long) rates.size()), Duration.ofMinutes(3));
            Thread.sleep(3_000);
        } finally {
            writing.set(false);
            maintenance.shutdown();
            sink.cancel().get(1, TimeUnit.MINUTES);
        }
        maintained.get(1, TimeUnit.MINUTES);
        rawRows = TableRows.read(table(WarehouseTable.RAW_TRANSACTIONS));
        enrichedRows = TableRows.read(table(WarehouseTable.TRANSACTIONS_ENRICHED));
        printTableSizes("after warehouse-sink (" + compactions + " compactions and " + expiries
                + " expiries ran while it wrote)");
    }

    @AfterAll
    void closeCatalog() {
        if (opened != null) {
            printTableSizes("after the tests (backfills, compaction, expiry)");
            WarehouseCatalog.close(opened);
        }
    }

    /** For the record (the closing notes quote it): what the run left in each table. */
    private void printTableSizes(String when) {
        System.out.println("Warehouse tables " + when + ":");
        for (WarehouseTable t : WarehouseTable.values()) {
            Table table = table(t);
            Map<String, String> summary = table.currentSnapshot().summary();
            int snapshots = 0;
            for (var ignored : table.snapshots()) {
                snapshots++;
            }
            System.out.printf("  %-22s %7s rows %4s data files %9s bytes %4d snapshots%n", t.tableName(),
                    summary.get("total-records"), summary.get("total-data-files"), summary.get("total-files-size"),
                    snapshots);
        }
    }

    @Test
    @Order(1)
    void theSinkFailedTwiceAfterCompletedCheckpointsWhileCompactionAndExpiryRan() {
        assertThat(FailureInjector.injected(FAILURES)).isEqualTo(2);
        assertThat(compactions).isGreaterThanOrEqualTo(4);
        assertThat(expiries).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(1)
    void theRawTableHoldsEveryDecodableRecordOnceMasked() {
        List<String> expectedIds = input.stream().filter(g -> !g.kind().rejected())
                .map(g -> g.transaction().getEventId().toString()).sorted().toList();

        assertThat(rawRows).extracting(r -> r.get("ingest_partition") + "@" + r.get("ingest_offset"))
                .doesNotHaveDuplicates();
        assertThat(rawRows.stream().map(r -> (String) r.get("event_id")).sorted().toList()).isEqualTo(expectedIds);
        assertThat(rawRows).allSatisfy(r -> {
            assertThat(r.get("ingest_topic")).isEqualTo(setup.topic("transactions"));
            assertThat(r.get("card_token")).isNotNull();
        });
        PiiCanary canary = PiiCanary.of(input.stream().map(GeneratedTransaction::transaction).toList());
        assertThat(canary.findInText(rawRows.toString(), "raw_transactions")).isEmpty();
        assertThat(input.stream().filter(g -> g.kind() == TrafficKind.DUPLICATE).count()).isGreaterThan(RECORDS / 50);
    }

    @Test
    @Order(1)
    void theEnrichedAndAlertTablesHoldWhatTheirTopicsCommittedOnceEach() {
        Set<String> enrichedColumns = columns(WarehouseTable.TRANSACTIONS_ENRICHED);
        assertSameRows(enrichedRows, enrichedTopic.stream().map(e -> TableRows.of(e, enrichedColumns)).toList());

        Set<String> alertColumns = columns(WarehouseTable.FRAUD_ALERTS);
        List<Map<String, Object>> alertRows = TableRows.read(table(WarehouseTable.FRAUD_ALERTS));
        assertSameRows(alertRows, alerts.stream().map(a -> TableRows.of(a, alertColumns)).toList());
        assertThat(alertRows).hasSizeGreaterThan(100);
    }

    @Test
    @Order(1)
    void theChangelogTablesKeepEveryVersionWithoutPersonalData() {
        List<Map<String, Object>> accountRows = TableRows.read(table(WarehouseTable.ACCOUNTS));
        assertThat(accountRows).hasSize(accounts);
        assertThat(accountRows.get(0)).doesNotContainKeys("customer_name", "email").containsKey("risk_tier");
        assertThat(TableRows.read(table(WarehouseTable.MERCHANTS))).hasSize(merchants);
        assertThat(TableRows.read(table(WarehouseTable.FX_RATES))).hasSize(rates.size());
    }

    @Test
    @Order(1)
    void eventTablesArePartitionedByTheHourOfTheirEventTime() throws Exception {
        Map<String, List<DataFile>> files = filesByPartition(table(WarehouseTable.TRANSACTIONS_ENRICHED));
        Set<String> hours = enrichedTopic.stream()
                .map(e -> String.valueOf(e.getEventTime().toEpochMilli() / 3_600_000L)).collect(Collectors.toSet());

        assertThat(files.keySet()).isEqualTo(hours);
        assertThat(hours).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(2)
    void aBackfillOfTheWholeRangeThroughTheCommandGivesTheSameRowsAsTheStream() throws Exception {
        int hours = filesByPartition(table(WarehouseTable.TRANSACTIONS_ENRICHED)).size();

        String report = tributary("backfill", "--from", start.toString(), "--to", start.plus(Duration.ofHours(5)).toString(),
                "-D", "parallelism.default=2");

        assertSameRows(TableRows.read(table(WarehouseTable.TRANSACTIONS_ENRICHED)), enrichedRows);
        assertThat(report).contains("read " + rawRows.size() + " raw rows, wrote " + enrichedRows.size()
                + " enriched rows in place of " + enrichedRows.size() + ", replaced " + hours + " partitions")
                .doesNotContain("late");
    }

    @Test
    @Order(3)
    void aBackfillWithChangedLogicReplacesExactlyItsPartitionsAndIsIdempotent() throws Exception {
        Table enriched = table(WarehouseTable.TRANSACTIONS_ENRICHED);
        Instant hour = start.plus(Duration.ofHours(1));
        String hourPartition = String.valueOf(hour.toEpochMilli() / 3_600_000L);
        Map<String, String> before = fileHashes(enriched);
        List<Map<String, Object>> rowsBefore = TableRows.read(enriched);
        BackfillRange range = BackfillRange.covering(hour, hour.plus(Duration.ofMinutes(30)), Instant.now());

        Backfill.Report first = backfill(range, stream -> stream.map(new AdjustedFxRate(),
                TypeInformation.of(EnrichedTransaction.class)));
        List<Map<String, Object>> afterFirst = TableRows.read(enriched);
        Map<String, String> filesAfterFirst = fileHashes(enriched);
        Backfill.Report second = backfill(range, stream -> stream.map(new AdjustedFxRate(),
                TypeInformation.of(EnrichedTransaction.class)));

        assertThat(first.partitionsReplaced()).isEqualTo(1);
        assertThat(second.partitionsReplaced()).isEqualTo(1);
        // Outside the range: the very same files, byte for byte.
        assertThat(outside(fileHashes(enriched), hourPartition)).isEqualTo(outside(before, hourPartition))
                .isEqualTo(outside(filesAfterFirst, hourPartition)).isNotEmpty();
        assertThat(inside(filesAfterFirst, hourPartition)).doesNotContainKeys(inside(before, hourPartition).keySet().toArray(String[]::new));
        // Inside it: the changed logic's rows, once, and the same after the second run.
        List<Map<String, Object>> expected = rowsBefore.stream()
                .map(r -> inHour(r, hour) ? adjusted(r) : r).toList();
        assertSameRows(afterFirst, expected);
        assertSameRows(TableRows.read(enriched), afterFirst);
        assertThat(expected.stream().filter(r -> inHour(r, hour) && !"USD".equals(r.get("currency"))).count())
                .isGreaterThan(100);
    }

    @Test
    @Order(4)
    void aDuckDbQueryThroughTheCommandReturnsTheInputsTotals() {
        Map<String, String> expected = new TreeMap<>();
        input.stream().filter(g -> g.kind() == TrafficKind.VALID || g.kind() == TrafficKind.OUT_OF_ORDER)
                .map(GeneratedTransaction::transaction)
                .collect(Collectors.groupingBy(t -> t.getCurrency(), TreeMap::new, Collectors.toList()))
                .forEach((currency, payments) -> expected.put(currency, payments.size() + ","
                        + payments.stream().map(t -> t.getAmount()).reduce(BigDecimal.ZERO, BigDecimal::add)
                                .setScale(4, RoundingMode.UNNECESSARY).toPlainString()));

        String csv = query("SELECT currency, count(*) AS payments, sum(amount) AS amount FROM transactions_enriched"
                + " GROUP BY currency ORDER BY currency");

        Map<String, String> actual = new TreeMap<>();
        csv.lines().skip(1).forEach(line -> actual.put(line.substring(0, line.indexOf(',')),
                line.substring(line.indexOf(',') + 1)));
        assertThat(csv.lines().findFirst()).hasValue("currency,payments,amount");
        assertThat(actual).isEqualTo(expected);
        assertThat(query("SELECT count(*) AS n FROM fraud_alerts")).isEqualTo("n\n" + alerts.size() + "\n");
    }

    @Test
    @Order(5)
    void compactionAndExpiryKeepEveryRowAndTheQueryReadsOnlyLiveFiles() throws Exception {
        Table raw = table(WarehouseTable.RAW_TRANSACTIONS);
        Instant hour = start.plus(Duration.ofHours(2));
        String partition = String.valueOf(hour.toEpochMilli() / 3_600_000L);
        int filesBefore = filesByPartition(raw).get(partition).size();

        String compacted = tributary("warehouse", "compact", "--table", "raw_transactions", "--hour",
                hour.plusSeconds(1_234).toString());

        assertThat(filesBefore).isGreaterThan(1);
        assertThat(compacted).contains("rewrote " + filesBefore + " data files as 1");
        assertThat(filesByPartition(raw).get(partition)).hasSize(1);
        assertSameRows(TableRows.read(raw), rawRows);
        // The replaced files are still in the folder until expiry: a glob would count their rows twice.
        assertThat(query("SELECT count(*) AS n FROM raw_transactions")).isEqualTo("n\n" + rawRows.size() + "\n");

        String expired = tributary("warehouse", "expire-snapshots", "--table", "raw_transactions",
                "-D", "tributary.warehouse.snapshot-retention=0s", "-D", "tributary.warehouse.snapshots-kept=1");

        // What is left: the sink's last commit, which it looks for after a restart, and the
        // compactions after it; nothing older.
        assertThat(expired).startsWith("raw_transactions: expired ");
        raw.refresh();
        Snapshot sinkCommit = TableMaintenance.lastStreamingCommit(raw);
        assertThat(sinkCommit).isNotNull();
        assertThat(raw.snapshots()).allSatisfy(kept -> assertThat(kept.timestampMillis())
                .isGreaterThanOrEqualTo(sinkCommit.timestampMillis()));
        assertSameRows(TableRows.read(raw), rawRows);
        assertThat(query("SELECT count(*) AS n FROM raw_transactions")).isEqualTo("n\n" + rawRows.size() + "\n");
    }

    @Test
    @Order(6)
    void aNewOptionalContractFieldEvolvesTheTableWithoutRewritingIt() throws Exception {
        Table raw = table(WarehouseTable.RAW_TRANSACTIONS);
        long snapshot = raw.currentSnapshot().snapshotId();
        Map<String, String> files = fileHashes(raw);
        org.apache.avro.Schema contract = SchemaBuilder.record("MaskedTransaction").namespace("io.tributary.events")
                .fields().name("risk_score").type().optional().doubleType().endRecord();
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
        MaskedTransaction.getClassSchema().getFields().forEach(f -> fields.add(new org.apache.avro.Schema.Field(f, f.schema())));
        fields.add(new org.apache.avro.Schema.Field(contract.getField("risk_score"), contract.getField("risk_score").schema()));
        org.apache.avro.Schema evolvedContract = org.apache.avro.Schema.createRecord("MaskedTransaction", null,
                "io.tributary.events", false, fields);

        boolean changed = WarehouseCatalog.evolve(raw,
                io.tributary.jobs.warehouse.internal.AvroToIceberg.tableSchema(evolvedContract, false, false, true));
        raw.refresh();

        assertThat(changed).isTrue();
        assertThat(raw.schema().findField("risk_score").isOptional()).isTrue();
        assertThat(raw.currentSnapshot().snapshotId()).isEqualTo(snapshot);
        assertThat(fileHashes(raw)).isEqualTo(files);
        assertThat(TableRows.read(raw)).allSatisfy(r -> assertThat(r).containsEntry("risk_score", null));
        assertThat(query("SELECT count(*) AS n FROM raw_transactions")).isEqualTo("n\n" + rawRows.size() + "\n");
        assertThat(WarehouseCatalog.evolve(raw,
                io.tributary.jobs.warehouse.internal.AvroToIceberg.tableSchema(evolvedContract, false, false, true)))
                .as("a second start changes nothing").isFalse();
    }

    /** A test-only FX adjustment standing for a corrected conversion: 1% more USD for foreign currencies. */
    static final class AdjustedFxRate implements MapFunction<EnrichedTransaction, EnrichedTransaction> {
        @Override
        public EnrichedTransaction map(EnrichedTransaction e) {
            if (!"USD".equals(e.getCurrency()) && e.getFxRateToUsd() != null) {
                BigDecimal rate = e.getFxRateToUsd().multiply(new BigDecimal("1.01")).setScale(10, RoundingMode.HALF_EVEN);
                e.setFxRateToUsd(rate);
                e.setAmountUsd(e.getAmount().multiply(rate).setScale(4, RoundingMode.HALF_EVEN));
            }
            return e;
        }
    }

    private static Map<String, Object> adjusted(Map<String, Object> row) {
        if ("USD".equals(row.get("currency")) || row.get("fx_rate_to_usd") == null) {
            return row;
        }
        Map<String, Object> changed = new HashMap<>(row);
        BigDecimal rate = new BigDecimal((String) row.get("fx_rate_to_usd")).multiply(new BigDecimal("1.01"))
                .setScale(10, RoundingMode.HALF_EVEN);
        changed.put("fx_rate_to_usd", rate.stripTrailingZeros().toPlainString());
        changed.put("amount_usd", new BigDecimal((String) row.get("amount")).multiply(rate)
                .setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
        return changed;
    }

    private static boolean inHour(Map<String, Object> row, Instant hour) {
        Instant t = (Instant) row.get("event_time");
        return !t.isBefore(hour) && t.isBefore(hour.plus(Duration.ofHours(1)));
    }

    private Backfill.Report backfill(BackfillRange range, UnaryOperator<DataStream<EnrichedTransaction>> adjust)
            throws Exception {
        Configuration flink = new Configuration();
        flink.setString("parallelism.default", "2");
        return Backfill.run(catalog, range, flink, setup.configuration(), adjust);
    }

    private String query(String sql) {
        return tributary("warehouse", "query", "--format", "CSV", sql);
    }

    /** Runs the command line in-process on the test's warehouse; what it printed, which must be no error. */
    private String tributary(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Tributary.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-D", "tributary.warehouse.location=" + catalog.location()));
        int code = cli.execute(all.toArray(String[]::new));
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        return out.toString();
    }

    private Configuration sinkConfiguration(KafkaBroker kafka, SchemaRegistryServer registry, Path warehouse) {
        Map<String, String> options = new HashMap<>();
        options.put("tributary.kafka.bootstrap-servers", kafka.bootstrapServers());
        options.put("tributary.registry.url", registry.url());
        options.put("tributary.kafka.group-id", setup.prefix + "warehouse-sink");
        options.put("tributary.warehouse.location", warehouse.toUri().toString());
        options.put("parallelism.default", "2");
        for (String topic : new String[] {"transactions", "accounts", "merchants", "fx-rates", "enriched",
            "fraud-alerts"}) {
            options.put("tributary.topics." + topic, setup.topic(topic));
        }
        return JobConfiguration.resolve(null, options, WarehouseOptions.sinkOptions()).configuration();
    }

    private static DataStream<org.apache.flink.table.data.RowData> inject(
            DataStream<org.apache.flink.table.data.RowData> rows, String name) {
        return rows.map(new FailureInjector<>(FAILURES, 2), rows.getType()).name(name + " failure injector")
                .uid(name + "-failure-injector");
    }

    private static FraudAlert alert(EnrichedTransaction payment) {
        FraudAlert a = TestAlerts.alert(payment, "warehouse-test", payment.getEventTime().plusSeconds(6));
        a.setEvidence(List.of(Evidence.newBuilder().setName("card.count_10m").setValue(7).setLimit(5.0).build()));
        return a;
    }

    /** Waits until each table has at least the rows expected, committed (read through the catalog). */
    private void awaitRows(Map<WarehouseTable, Long> expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<WarehouseTable, Long> found = Map.of();
        while (System.nanoTime() < deadline) {
            Map<WarehouseTable, Long> now = expected.keySet().stream().collect(Collectors.toMap(t -> t, this::committedRows));
            found = now;
            if (expected.entrySet().stream().allMatch(e -> now.get(e.getKey()) >= e.getValue())
                    && FailureInjector.injected(FAILURES) == 2) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The tables did not fill up in " + timeout + ": expected " + expected + ", found " + found);
    }

    /** Compacts the first hours of the two busiest tables and expires every snapshot it may. */
    private void maintainWhileTheSinkWrites() throws InterruptedException {
        for (WarehouseTable t : List.of(WarehouseTable.RAW_TRANSACTIONS, WarehouseTable.TRANSACTIONS_ENRICHED)) {
            if (table(t).currentSnapshot() == null) {
                continue;
            }
            for (int hour = 0; hour < 2; hour++) {
                TableMaintenance.compactHour(StreamExecutionEnvironment.getExecutionEnvironment(new Configuration()),
                        table(t), start.plus(Duration.ofHours(hour)));
                compactions++;
            }
            TableMaintenance.expireSnapshots(table(t), Duration.ZERO, 1, Instant.now());
            expiries++;
        }
        Thread.sleep(200);
    }

    private long committedRows(WarehouseTable table) {
        Table t = table(table);
        return t.currentSnapshot() == null ? 0
                : Long.parseLong(t.currentSnapshot().summary().getOrDefault("total-records", "0"));
    }

    private Table table(WarehouseTable table) {
        Table t = WarehouseCatalog.load(opened, catalog, table);
        t.refresh();
        return t;
    }

    private Set<String> columns(WarehouseTable table) {
        return table(table).schema().columns().stream().map(Types.NestedField::name).collect(Collectors.toSet());
    }

    /** The same rows, as many times each: the difference, if any, is listed row by row. */
    private static void assertSameRows(List<Map<String, Object>> actual, List<Map<String, Object>> expected) {
        Map<String, Long> want = counts(expected);
        Map<String, Long> got = counts(actual);
        List<String> differences = new ArrayList<>();
        for (String row : union(want.keySet(), got.keySet())) {
            long w = want.getOrDefault(row, 0L);
            long g = got.getOrDefault(row, 0L);
            if (w != g) {
                differences.add("expected " + w + ", found " + g + ": " + row);
            }
        }
        assertThat(differences).as("rows that differ (of %d expected, %d found)", expected.size(), actual.size())
                .isEmpty();
    }

    private static Map<String, Long> counts(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new TreeMap<>(r).toString())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The data files of the current snapshot by partition (hours since the epoch). */
    private static Map<String, List<DataFile>> filesByPartition(Table table) throws Exception {
        table.refresh();
        Map<String, List<DataFile>> files = new TreeMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                files.computeIfAbsent(String.valueOf(task.file().partition().get(0, Integer.class)),
                        p -> new ArrayList<>()).add(task.file());
            }
        }
        return files;
    }

    /** Partition + path of each live data file, with a hash of its bytes. */
    private static Map<String, String> fileHashes(Table table) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        for (var entry : filesByPartition(table).entrySet()) {
            for (DataFile file : entry.getValue()) {
                byte[] bytes = Files.readAllBytes(Path.of(java.net.URI.create(file.location())));
                hashes.put(entry.getKey() + " " + file.location(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        return hashes;
    }

    private static Map<String, String> outside(Map<String, String> files, String partition) {
        return files.entrySet().stream().filter(e -> !e.getKey().startsWith(partition + " "))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> inside(Map<String, String> files, String partition) {
        return files.entrySet().stream().filter(e -> e.getKey().startsWith(partition + " "))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
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
