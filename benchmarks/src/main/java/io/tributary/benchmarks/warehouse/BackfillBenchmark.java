package io.tributary.benchmarks.warehouse;

import io.tributary.benchmarks.endtoend.Machine;
import io.tributary.events.AccountProfile;
import io.tributary.events.FxRate;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.jobs.backfill.Backfill;
import io.tributary.jobs.backfill.BackfillRange;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseTable;
import io.tributary.jobs.warehouse.internal.RecordToRow;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code benchmarks/run backfill}: how fast the backfill recomputes the enriched table. Writes a raw
 * table of generated, masked payments (5% producer retries) spread over some hours, with their
 * accounts, merchants and FX rates, straight to Iceberg; then times {@link Backfill#run} over the
 * whole range, in-process, as {@code tributary backfill} runs it.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Measures the backfill: raw rows read and enriched rows written per second.")
public final class BackfillBenchmark implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "1000000", description = "Raw payments (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--hours", defaultValue = "6", description = "Hours of event time they span (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--runs", defaultValue = "2", description = "Backfills timed one after the other (default: ${DEFAULT-VALUE}).")
    int runs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Machine.describe());
        Path folder = Files.createTempDirectory("backfill-benchmark");
        WarehouseCatalog catalog = WarehouseCatalog.local(folder);
        catalog.createOrEvolveTables();

        Instant start = Instant.now().minus(Duration.ofHours(hours + 2L)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(7).accounts(20_000).merchants(1_000).start(start)
                .meanGap(Duration.ofMillis(hours * 3_600_000L / records))
                .duplicateRate(0.05).malformedRate(0).late(0, Duration.ZERO).outOfOrder(0.05, Duration.ofSeconds(3)));
        byte[] key = new byte[32];
        PiiMasker masker = PiiMasker.create(TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(key)));
        long written;
        Catalog opened = catalog.open();
        try {
            long t0 = System.nanoTime();
            write(load(opened, catalog, WarehouseTable.ACCOUNTS), WarehouseTable.ACCOUNTS, generator.accounts());
            write(load(opened, catalog, WarehouseTable.MERCHANTS), WarehouseTable.MERCHANTS, generator.merchants());
            write(load(opened, catalog, WarehouseTable.FX_RATES), WarehouseTable.FX_RATES,
                    generator.fxRates(start, start.plus(Duration.ofHours(hours + 1L))));
            Table raw = load(opened, catalog, WarehouseTable.RAW_TRANSACTIONS);
            RecordToRow rows = new RecordToRow(raw.schema(), WarehouseTable.RAW_TRANSACTIONS.contract());
            TaskWriter<org.apache.flink.table.data.RowData> writer = writer(raw);
            for (written = 0; written < records; written++) {
                GeneratedTransaction g = generator.next();
                MaskedTransaction masked = masker.mask(g.transaction());
                writer.write(rows.row(masked, new RecordToRow.Ingest("payments.transactions.v1", 0, written,
                        g.transaction().getEventTime().toEpochMilli())));
            }
            commit(raw, writer.complete());
            out.printf("Wrote %,d raw rows over %d hours in %.1f s (%s).%n", written, hours,
                    (System.nanoTime() - t0) / 1e9, folder);
        } finally {
            WarehouseCatalog.close(opened);
        }

        BackfillRange range = BackfillRange.covering(start, start.plus(Duration.ofHours(hours + 1L)), Instant.now());
        Configuration flink = new Configuration();
        flink.setString("parallelism.default", String.valueOf(parallelism));
        // The tables were written here, not by warehouse-sink: no committed watermark, and no stream to race.
        Configuration options = new Configuration();
        options.set(WarehouseOptions.BACKFILL_FORCE_UNMARKED, true);
        for (int run = 1; run <= runs; run++) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Backfill.Report report = Backfill.run(catalog, range, flink, options, UnaryOperator.identity(), line -> { });
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            out.printf("Run %d: %s%n", run, report.describe());
            out.printf("Run %d: %.1f s wall, %.1f s CPU: %,.0f raw rows/s read, %,.0f enriched rows/s written,"
                            + " %.0f µs CPU per raw row (parallelism %d)%n", run, seconds, cpu,
                    report.rowsRead() / seconds, report.rowsWritten() / seconds, cpu * 1e6 / report.rowsRead(),
                    parallelism);
            out.flush();
        }
        return 0;
    }

    private static Table load(Catalog opened, WarehouseCatalog catalog, WarehouseTable table) {
        return WarehouseCatalog.load(opened, catalog, table);
    }

    private static void write(Table table, WarehouseTable kind, List<? extends IndexedRecord> records) throws Exception {
        RecordToRow rows = new RecordToRow(table.schema(), kind.contract());
        TaskWriter<org.apache.flink.table.data.RowData> writer = writer(table);
        long offset = 0;
        for (IndexedRecord record : records) {
            writer.write(rows.row(record, new RecordToRow.Ingest(kind.tableName(), 0, offset++, 0)));
        }
        commit(table, writer.complete());
    }

    private static TaskWriter<org.apache.flink.table.data.RowData> writer(Table table) {
        RowDataTaskWriterFactory factory = new RowDataTaskWriterFactory(table, FlinkSchemaUtil.convert(table.schema()),
                128L * 1024 * 1024, FileFormat.PARQUET, Map.of(), List.of(), false);
        factory.initialize(0, 0);
        return factory.create();
    }

    private static void commit(Table table, WriteResult result) {
        AppendFiles append = table.newAppend();
        for (DataFile file : result.dataFiles()) {
            append.appendFile(file);
        }
        append.commit();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
