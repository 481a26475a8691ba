package io.tributary.jobs.warehouse;

import io.tributary.jobs.common.CatalogJob;
import io.tributary.jobs.common.JobFootprint;
import io.tributary.jobs.common.JobSecrets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.sink.IcebergSink;

/**
 * Job 4 of DESIGN.md: the raw (masked) payments, the changelogs, the enriched payments and the fraud
 * alerts into their Iceberg tables. Each table's writers write data files as rows arrive; its
 * committer adds them to the table in one commit per completed checkpoint, together with the
 * checkpoint id, so that after a restore a checkpoint is committed once and what was written after
 * it is written again from the restored Kafka offsets: no row missing, none twice.
 *
 * <pre>
 * topic ─ decode, mask, ingest metadata (in the source) ─ Iceberg writer ─ committer (on checkpoint)
 *                                   └ (event tables) watermark only ─ committed-watermark publisher
 * </pre>
 * one such line per {@link WarehouseTable}. On the event tables, the publisher records how far in
 * event time the committed rows reach ({@link CommittedWatermark}): a backfill refuses hours the
 * stream may still write.
 */
public final class WarehouseSinkJob extends CatalogJob<WarehouseSettings> {
    public static final String NAME = "warehouse-sink";

    /** The job as the launchers see it; {@link #build} wires it with other sources and sinks. */
    public WarehouseSinkJob() {
        super(NAME, WarehouseOptions.sinkOptions(),
                "Writes the raw (masked) payments, the changelogs, the enriched payments and the fraud"
                + " alerts to the warehouse's Iceberg tables, committed on checkpoints; creates the tables, or adds"
                + " the columns their contracts gained, first.",
                "The tokenization key comes from the environment variable TRIBUTARY_TOKENIZATION_KEY.");
    }

    @Override
    public WarehouseSettings settings(Configuration configuration, JobSecrets secrets) {
        return WarehouseSettings.from(configuration, secrets);
    }

    @Override
    public String preflight(WarehouseSettings settings, JobSecrets secrets) {
        settings.catalog().createOrEvolveTables();
        return "tables created or evolved";
    }

    @Override
    public void wire(StreamExecutionEnvironment env, WarehouseSettings settings) {
        build(env, settings.catalog(), WarehouseSources.kafka(settings, settings.catalog().currentSchemas()));
    }

    @Override
    public String describe(WarehouseSettings settings) {
        return "Iceberg tables of warehouse " + settings.catalog().location() + ", committed on checkpoints";
    }

    @Override
    public JobFootprint footprint(WarehouseSettings s) {
        WarehouseSettings.Topics t = s.topics();
        // Keeps the Iceberg sink's files not yet committed and its last committed checkpoint.
        // Its output is the warehouse, not Kafka: no output topic, no transactional id.
        return new JobFootprint(true, s.kafka().groupId(), null, s.kafka().bootstrapServers(),
                List.of(t.transactions(), t.accounts(), t.merchants(), t.fxRates(), t.enriched(), t.alerts()),
                List.of(), s.kafka().clientProperties(), List.of(), Arrays.stream(WarehouseTable.values())
                        .map(s.catalog()::dataset).toList());
    }


    /** Wires the job into {@code env}; the tables must exist ({@link WarehouseCatalog#createOrEvolveTables}). */
    public static void build(StreamExecutionEnvironment env, WarehouseCatalog catalog, WarehouseSources sources) {
        build(env, catalog, sources, (table, rows) -> rows);
    }

    /**
     * Wires the job, with {@code beforeTable} applied to each table's rows just before its writer:
     * for tests that inject failures.
     */
    public static void build(StreamExecutionEnvironment env, WarehouseCatalog catalog, WarehouseSources sources,
            BiFunction<WarehouseTable, DataStream<RowData>, DataStream<RowData>> beforeTable) {
        Map<WarehouseTable, Schema> schemas = catalog.currentSchemas();
        for (WarehouseTable table : WarehouseTable.values()) {
            var source = sources.byTable().get(table);
            if (source == null) {
                throw new IllegalArgumentException("No source for warehouse table " + table.tableName());
            }
            String name = table.tableName().replace('_', '-');
            SingleOutputStreamOperator<RowData> rows = env.fromSource(source, table.isChangelog()
                    ? WatermarkStrategy.noWatermarks() : sources.watermarks(schemas.get(table)), name + " source")
                    .uid(name + "-source");
            if (table.isChangelog()) {
                // Changelog topics are small, with one to three partitions: one reader is plenty.
                rows.setParallelism(1);
            } else {
                // Only the watermark crosses to the publisher, not the rows.
                rows.filter(row -> false).name(name + " watermark").uid(name + "-watermark")
                        .transform(name + " committed watermark", Types.VOID,
                                new CommittedWatermarkPublisher(catalog.tableLoader(table)))
                        .setParallelism(1).setMaxParallelism(1).uid(name + "-committed-watermark");
            }
            // IcebergSink, not the older FlinkSink: the latter commits a bounded input's last files
            // under checkpoint id Long.MAX_VALUE, and after a restart skips every later commit as
            // already done, losing rows.
            IcebergSink.forRowData(beforeTable.apply(table, rows))
                    .tableLoader(catalog.tableLoader(table))
                    .uidSuffix(name + "-table")
                    .append()
                    .name(name + " table").uid(name + "-table");
        }
    }
}
