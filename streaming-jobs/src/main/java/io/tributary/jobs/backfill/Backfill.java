package io.tributary.jobs.backfill;

import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.enrichment.EnrichmentParameters;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.enrichment.EnrichmentPipeline;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseTable;
import io.tributary.jobs.warehouse.internal.RecordToRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Job 5 of DESIGN.md: recomputes the enriched table for a range of event time from the raw table,
 * with the enrichment job's own graph and operators ({@link EnrichmentPipeline}) run in
 * Flink's BATCH mode, and replaces the range's partitions of {@code transactions_enriched} in one
 * commit. Running it twice gives the same rows.
 *
 * <p>In batch, each account's payments and profile versions are processed in event-time order and
 * the FX rates and merchants before any payment, so every payment is enriched as of its event time,
 * and none is late: a payment the stream sent to the late topic is enriched by a backfill.
 */
public final class Backfill {
    public static final String NAME = "backfill";
    /** What it does, in one line. */
    public static final String DESCRIPTION = "Recomputes transactions_enriched for a range of event time from"
            + " raw_transactions and the changelog tables, with the enrichment job's own code in Flink batch mode,"
            + " and replaces the range's hour partitions in one commit.";
    private static final String LATE_ACCUMULATOR = "late";
    private static final String DEAD_LETTER_ACCUMULATOR = "dead-letters";

    private Backfill() {}

    /** What a backfill did. */
    public record Report(BackfillRange range, long rowsRead, long rowsWritten, long rowsReplaced,
            int partitionsReplaced, long snapshotId, long late, long deadLetters) {
        public String describe() {
            return "Backfill of " + range + ": read " + rowsRead + " raw rows, wrote " + rowsWritten
                    + " enriched rows in place of " + rowsReplaced + ", replaced " + partitionsReplaced
                    + (partitionsReplaced == 1 ? " partition of " : " partitions of ") + WarehouseTable.TRANSACTIONS_ENRICHED.tableName() + " in snapshot " + snapshotId
                    + (late + deadLetters > 0 ? " (" + late + " late, " + deadLetters + " dead letters not written)" : "");
        }
    }

    /**
     * What a backfill touches with the warehouse {@code catalog}: the raw table and the changelog tables
     * in, the enriched table out. No Kafka; no state to restore, as a batch run starts over.
     */
    public static JobFootprint footprint(WarehouseCatalog catalog) {
        return new JobFootprint(false, null, null, null, List.of(), List.of(), Map.of(),
                Stream.of(WarehouseTable.RAW_TRANSACTIONS, WarehouseTable.ACCOUNTS, WarehouseTable.MERCHANTS,
                        WarehouseTable.FX_RATES).map(catalog::dataset).toList(),
                List.of(catalog.dataset(WarehouseTable.TRANSACTIONS_ENRICHED)));
    }

    /**
     * Runs a backfill and waits for it.
     *
     * @param flinkConfiguration the Flink configuration (parallelism, memory); set to BATCH here
     * @param enrichmentConfiguration where the enrichment's options are read (lateness, account wait, TTLs)
     * @param adjust applied to the enriched stream before it is written: identity, except in tests
     *     that stand for a corrected logic
     * @throws IllegalArgumentException when the range has no raw data
     */
    public static Report run(WarehouseCatalog catalog, BackfillRange range, Configuration flinkConfiguration,
            Configuration enrichmentConfiguration, UnaryOperator<DataStream<EnrichedTransaction>> adjust)
            throws Exception {
        Catalog opened = catalog.open();
        try {
            BackfillSources.Tables tables = new BackfillSources.Tables(
                    WarehouseCatalog.load(opened, catalog, WarehouseTable.RAW_TRANSACTIONS),
                    WarehouseCatalog.load(opened, catalog, WarehouseTable.ACCOUNTS),
                    WarehouseCatalog.load(opened, catalog, WarehouseTable.MERCHANTS),
                    WarehouseCatalog.load(opened, catalog, WarehouseTable.FX_RATES));
            Table enrichedTable = WarehouseCatalog.load(opened, catalog, WarehouseTable.TRANSACTIONS_ENRICHED);
            long rowsRead = rawRows(tables.raw(), range);
            if (rowsRead == 0) {
                throw new IllegalArgumentException("No raw data in " + range + ": nothing to backfill in "
                        + WarehouseTable.RAW_TRANSACTIONS.tableName());
            }
            Set<String> forgotten = forgottenAccounts(tables.accounts());

            Configuration conf = new Configuration(flinkConfiguration);
            conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            // FX rates must reach back to the range's start from its end.
            Duration history = enrichmentConfiguration.get(io.tributary.state.StateOptions.REFERENCE_HISTORY_TTL)
                    .plus(range.length());
            EnrichmentParameters parameters = EnrichmentParameters.from(enrichmentConfiguration, history);
            Schema enrichedSchema = enrichedTable.schema();
            EnrichmentSinks sinks = new EnrichmentSinks(
                    (stream, name, uid) -> IcebergSink.forRowData(stream
                                    .map(new AsRows(enrichedSchema), InternalTypeInfo.of(FlinkSchemaUtil.convert(enrichedSchema)))
                                    .name("enriched as table rows").uid("enriched-as-rows"))
                            .tableLoader(catalog.tableLoader(WarehouseTable.TRANSACTIONS_ENRICHED))
                            .overwrite(true)
                            .uidSuffix(uid)
                            .append()
                            .name(name).uid(uid),
                    (stream, name, uid) -> stream.map(new Counting<>(LATE_ACCUMULATOR)).name("count late").uid(uid + "-count")
                            .sinkTo(new DiscardingSink<>()).name(name).uid(uid),
                    (stream, name, uid) -> stream.map(new Counting<>(DEAD_LETTER_ACCUMULATOR)).name("count dead letters")
                            .uid(uid + "-count").sinkTo(new DiscardingSink<>()).name(name).uid(uid));
            EnrichmentPipeline.wire(env, parameters, BackfillSources.of(catalog, tables, range, forgotten), sinks,
                    adjust);
            JobExecutionResult result = env.execute(NAME + " " + range);

            enrichedTable.refresh();
            Snapshot commit = commitOf(enrichedTable, result.getJobID().toString());
            Map<String, String> summary = commit.summary();
            return new Report(range, rowsRead, count(summary, SnapshotSummary.ADDED_RECORDS_PROP),
                    count(summary, SnapshotSummary.DELETED_RECORDS_PROP),
                    (int) count(summary, SnapshotSummary.CHANGED_PARTITION_COUNT_PROP), commit.snapshotId(),
                    accumulator(result, LATE_ACCUMULATOR), accumulator(result, DEAD_LETTER_ACCUMULATOR));
        } finally {
            WarehouseCatalog.close(opened);
        }
    }

    /** The rows of the range's partitions: every file of the hour partitions selected is inside the range. */
    private static long rawRows(Table raw, BackfillRange range) throws IOException {
        long rows = 0;
        try (CloseableIterable<FileScanTask> tasks = raw.newScan().filter(range.rawFilter()).planFiles()) {
            for (FileScanTask task : tasks) {
                rows += task.file().recordCount();
            }
        }
        return rows;
    }

    private static Set<String> forgottenAccounts(Table accounts) {
        Set<String> ids = new HashSet<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(accounts)
                .where(Expressions.equal(WarehouseTable.DELETED, true)).select("account_id").build()) {
            for (Record row : rows) {
                ids.add((String) row.getField("account_id"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** The snapshot the backfill committed: the Iceberg committer records the Flink job id in it. */
    private static Snapshot commitOf(Table table, String jobId) {
        for (Snapshot s = table.currentSnapshot(); s != null;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (jobId.equals(s.summary().get("flink.job-id"))) {
                return s;
            }
        }
        throw new IllegalStateException("The backfill job " + jobId + " finished but committed nothing to "
                + table.name());
    }

    private static long count(Map<String, String> summary, String key) {
        String value = summary.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static long accumulator(JobExecutionResult result, String name) {
        Long value = result.getAccumulatorResult(name);
        return value == null ? 0 : value;
    }

    /** Enriched records as rows of the enriched table. */
    private static final class AsRows extends RichMapFunction<EnrichedTransaction, RowData> {
        private static final long serialVersionUID = 1L;
        private final RecordToRow rows;

        AsRows(Schema table) {
            this.rows = new RecordToRow(table, EnrichedTransaction.getClassSchema());
        }

        @Override
        public RowData map(EnrichedTransaction value) {
            return rows.row(value, null);
        }
    }

    /** Counts what passes into an accumulator of the job's result. */
    private static final class Counting<T> extends RichMapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private transient LongCounter counter;

        Counting(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext context) {
            counter = getRuntimeContext().getLongCounter(name);
        }

        @Override
        public T map(T value) {
            counter.add(1L);
            return value;
        }
    }
}
