package io.tributary.jobs.backfill;

import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import io.tributary.jobs.enrichment.EnrichmentParameters;
import io.tributary.jobs.enrichment.EnrichmentPipeline;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.warehouse.CommittedWatermark;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseTable;
import io.tributary.jobs.warehouse.internal.RecordToRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
 * commit. Running it twice gives the same rows. It runs only on hours the stream is done with
 * ({@link BackfillGuard}) and never replaces rows it did not read ({@link OptimisticReplace}).
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
    /**
     * The flag of {@code tributary backfill} that lets it run on tables without a committed
     * watermark ({@link WarehouseOptions#BACKFILL_FORCE_UNMARKED}).
     */
    public static final String FORCE_UNMARKED_FLAG = "--force-unmarked";
    /** The snapshot summary entry of a backfill's commit that names its range. */
    private static final String RANGE_SUMMARY = "tributary.backfill-range";

    private Backfill() {}

    /** What a backfill did; {@code attempts} counts the runs, more than one when the stream raced it. */
    public record Report(BackfillRange range, long rowsRead, long rowsWritten, long rowsReplaced,
            int partitionsReplaced, long snapshotId, long late, long deadLetters, int attempts) {
        public String describe() {
            if (snapshotId < 0) {
                return "Backfill of " + range + ": read " + rowsRead + " raw rows and wrote no enriched row ("
                        + late + " late, " + deadLetters + " dead letters): nothing replaced";
            }
            return "Backfill of " + range + ": read " + rowsRead + " raw rows, wrote " + rowsWritten
                    + " enriched rows in place of " + rowsReplaced + ", replaced " + partitionsReplaced
                    + (partitionsReplaced == 1 ? " partition of " : " partitions of ") + WarehouseTable.TRANSACTIONS_ENRICHED.tableName() + " in snapshot " + snapshotId
                    + (late + deadLetters > 0 ? " (" + late + " late, " + deadLetters + " dead letters not written)" : "")
                    + (attempts > 1 ? ", at attempt " + attempts : "");
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
     * Runs a backfill and waits for it. Each attempt checks that the stream is done with the range
     * ({@link BackfillGuard}), reads the inputs as of their current snapshots, and replaces the
     * range's partitions only if nothing was committed to them since ({@link OptimisticReplace});
     * otherwise it starts over from fresh snapshots, up to {@link WarehouseOptions#BACKFILL_COMMIT_ATTEMPTS}.
     *
     * @param flinkConfiguration the Flink configuration (parallelism, memory); set to BATCH here
     * @param configuration where the enrichment's options (lateness, account wait, TTLs) and the
     *     backfill's are read
     * @param adjust applied to the enriched stream before it is written: identity, except in tests
     *     that stand for a corrected logic
     * @param progress told, one line at a time, why the backfill may run and when it starts over
     * @throws IllegalArgumentException when the range has no raw data
     * @throws IllegalStateException when the stream is not done with the range, or kept committing to it
     */
    public static Report run(WarehouseCatalog catalog, BackfillRange range, Configuration flinkConfiguration,
            Configuration configuration, UnaryOperator<DataStream<EnrichedTransaction>> adjust,
            Consumer<String> progress) throws Exception {
        int attempts = configuration.get(WarehouseOptions.BACKFILL_COMMIT_ATTEMPTS);
        if (attempts < 1) {
            throw new IllegalArgumentException(WarehouseOptions.BACKFILL_COMMIT_ATTEMPTS.key() + " must be at least 1, got "
                    + attempts);
        }
        Catalog opened = catalog.open();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return attempt(catalog, opened, range, flinkConfiguration, configuration, adjust, progress, attempt);
                } catch (OptimisticReplace.Conflict conflict) {
                    if (attempt == attempts) {
                        throw new IllegalStateException("Gave up backfilling " + range + " after " + attempts
                                + " attempts, replacing nothing: warehouse-sink kept committing to its hours while the"
                                + " backfill ran (" + conflict.getMessage() + ")", conflict);
                    }
                    progress.accept("Attempt " + attempt + " of " + attempts + " replaced nothing: "
                            + conflict.getMessage() + "; starting over from fresh snapshots");
                }
            }
        } finally {
            WarehouseCatalog.close(opened);
        }
    }

    private static Report attempt(WarehouseCatalog catalog, Catalog opened, BackfillRange range,
            Configuration flinkConfiguration, Configuration configuration,
            UnaryOperator<DataStream<EnrichedTransaction>> adjust, Consumer<String> progress, int attempt)
            throws Exception {
        // The enriched table first: a row the stream commits to it after this is seen by the
        // replace's validation; the inputs are read as they are after it.
        Table enrichedTable = current(opened, catalog, WarehouseTable.TRANSACTIONS_ENRICHED);
        Long enrichedBase = snapshotId(enrichedTable);
        BackfillSources.Tables tables = BackfillSources.Tables.asTheyAre(
                current(opened, catalog, WarehouseTable.RAW_TRANSACTIONS),
                current(opened, catalog, WarehouseTable.ACCOUNTS),
                current(opened, catalog, WarehouseTable.MERCHANTS),
                current(opened, catalog, WarehouseTable.FX_RATES));
        Map<WarehouseTable, Optional<Instant>> committed = new EnumMap<>(WarehouseTable.class);
        committed.put(WarehouseTable.RAW_TRANSACTIONS, CommittedWatermark.of(tables.raw()));
        committed.put(WarehouseTable.TRANSACTIONS_ENRICHED, CommittedWatermark.of(enrichedTable));
        String verdict = BackfillGuard.check(range, configuration.get(EnrichmentOptions.ALLOWED_LATENESS), committed,
                configuration.get(WarehouseOptions.BACKFILL_FORCE_UNMARKED));
        if (attempt == 1) {
            progress.accept(verdict);
        }
        long rowsRead = rawRows(tables, range);
        if (rowsRead == 0) {
            throw new IllegalArgumentException("No raw data in " + range + ": nothing to backfill in "
                    + WarehouseTable.RAW_TRANSACTIONS.tableName());
        }
        Set<String> forgotten = forgottenAccounts(tables);

        Configuration conf = new Configuration(flinkConfiguration);
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // FX rates must reach back to the range's start from its end.
        Duration history = configuration.get(io.tributary.state.StateOptions.REFERENCE_HISTORY_TTL)
                .plus(range.length());
        EnrichmentParameters parameters = EnrichmentParameters.from(configuration, history);
        Schema enrichedSchema = enrichedTable.schema();
        try (OptimisticReplace replace = OptimisticReplace.from(enrichedTable, enrichedBase)) {
            EnrichmentSinks sinks = new EnrichmentSinks(
                    (stream, name, uid) -> IcebergSink.forRowData(stream
                                    .map(new AsRows(enrichedSchema), InternalTypeInfo.of(FlinkSchemaUtil.convert(enrichedSchema)))
                                    .name("enriched as table rows").uid("enriched-as-rows"))
                            .tableLoader(catalog.tableLoader(WarehouseTable.TRANSACTIONS_ENRICHED))
                            .toBranch(replace.branch())
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

            Snapshot commit = replace.commit(Map.of(RANGE_SUMMARY, range.toString()));
            Map<String, String> summary = commit == null ? Map.of() : commit.summary();
            return new Report(range, rowsRead, count(summary, SnapshotSummary.ADDED_RECORDS_PROP),
                    count(summary, SnapshotSummary.DELETED_RECORDS_PROP),
                    (int) count(summary, SnapshotSummary.CHANGED_PARTITION_COUNT_PROP),
                    commit == null ? -1 : commit.snapshotId(),
                    accumulator(result, LATE_ACCUMULATOR), accumulator(result, DEAD_LETTER_ACCUMULATOR), attempt);
        }
    }

    /** The rows of the range's partitions as read: every file of the hour partitions selected is inside the range. */
    private static long rawRows(BackfillSources.Tables tables, BackfillRange range) throws IOException {
        if (tables.rawSnapshot() == null) {
            return 0;
        }
        long rows = 0;
        try (CloseableIterable<FileScanTask> tasks = tables.raw().newScan().useSnapshot(tables.rawSnapshot())
                .filter(range.rawFilter()).planFiles()) {
            for (FileScanTask task : tasks) {
                rows += task.file().recordCount();
            }
        }
        return rows;
    }

    private static Set<String> forgottenAccounts(BackfillSources.Tables tables) {
        Set<String> ids = new HashSet<>();
        if (tables.accountsSnapshot() == null) {
            return ids;
        }
        try (CloseableIterable<Record> rows = IcebergGenerics.read(tables.accounts()).useSnapshot(tables.accountsSnapshot())
                .where(Expressions.equal(WarehouseTable.DELETED, true)).select("account_id").build()) {
            for (Record row : rows) {
                ids.add((String) row.getField("account_id"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** The table as it is now, whatever the catalog may have cached. */
    private static Table current(Catalog opened, WarehouseCatalog catalog, WarehouseTable table) {
        Table loaded = WarehouseCatalog.load(opened, catalog, table);
        loaded.refresh();
        return loaded;
    }

    /** The table's current snapshot's id, {@code null} while it has none. */
    static Long snapshotId(Table table) {
        Snapshot current = table.currentSnapshot();
        return current == null ? null : current.snapshotId();
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
