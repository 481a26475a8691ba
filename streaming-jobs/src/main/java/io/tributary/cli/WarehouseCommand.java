package io.tributary.cli;

import io.tributary.jobs.maintenance.TableMaintenance;
import io.tributary.jobs.maintenance.WarehouseQuery;
import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseOptions;
import io.tributary.jobs.warehouse.WarehouseTable;
import io.tributary.state.JobConfiguration;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tributary warehouse ...}: querying the Iceberg tables, and their maintenance. */
@Command(name = "warehouse", mixinStandardHelpOptions = true, description = "Queries and maintains the warehouse tables.",
        subcommands = {WarehouseCommand.Query.class, WarehouseCommand.ExpireSnapshots.class, WarehouseCommand.Compact.class})
final class WarehouseCommand {

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = {"Runs SQL with DuckDB over the tables' current files; each table is a view of its name:",
                "raw_transactions, accounts, merchants, fx_rates, transactions_enriched, fraud_alerts."})
    static final class Query extends OnTheWarehouse {
        @Parameters(index = "0", paramLabel = "SQL", description = "The query, e.g. \"SELECT count(*) FROM fraud_alerts\".")
        String sql;

        @Option(names = "--format", defaultValue = "TABLE", description = "TABLE or CSV (default: ${DEFAULT-VALUE}).")
        WarehouseQuery.Format format;

        @Override
        public Integer call() {
            try {
                Class.forName("org.duckdb.DuckDBDriver");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("DuckDB is not on this classpath (the job image leaves it out):"
                        + " run the query with ./tributary from a checkout");
            }
            WarehouseQuery.run(WarehouseCatalog.from(configuration().configuration()), sql, format, out());
            return 0;
        }
    }

    @Command(name = "expire-snapshots", mixinStandardHelpOptions = true,
            description = "Removes snapshots older than tributary.warehouse.snapshot-retention (keeping the newest"
                    + " tributary.warehouse.snapshots-kept) and the files only they used. Safe while the sink writes.")
    static final class ExpireSnapshots extends OnTheWarehouse {
        @Option(names = "--table", paramLabel = "TABLE", split = ",",
                description = "Tables to expire (default: all).")
        List<String> tables;

        @Override
        public Integer call() {
            Configuration conf = configuration().configuration();
            PrintWriter out = out();
            for (WarehouseTable table : selected(tables)) {
                TableMaintenance.Expired expired = onTable(conf, table, t -> TableMaintenance.expireSnapshots(t,
                        conf.get(WarehouseOptions.SNAPSHOT_RETENTION), conf.get(WarehouseOptions.SNAPSHOTS_KEPT),
                        Instant.now()));
                out.println(expired.describe(table.tableName()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = "Rewrites the small files of one hour partition of an event table into large ones, in one"
                    + " commit; the rows stay the same. Safe while the sink writes.")
    static final class Compact extends OnTheWarehouse {
        @Option(names = "--table", required = true, paramLabel = "TABLE",
                description = "raw_transactions, transactions_enriched or fraud_alerts.")
        String table;

        @Option(names = "--hour", required = true, paramLabel = "TIME",
                description = "Any instant in the hour partition to compact, e.g. 2026-11-27T10:00:00Z.")
        Instant hour;

        @Override
        public Integer call() {
            JobConfiguration resolved = configuration();
            WarehouseTable chosen = selected(List.of(table)).get(0);
            // A batch job: the profile's checkpoint settings are not for it.
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(resolved.withoutProfile());
            TableMaintenance.Compacted compacted = onTable(resolved.configuration(), chosen,
                    t -> TableMaintenance.compactHour(env, t, hour));
            out().println(compacted.describe(chosen.tableName(), hour));
            out().flush();
            return 0;
        }
    }

    /** A subcommand on the warehouse that the configuration names; what it prints goes to {@link #out()}. */
    abstract static class OnTheWarehouse implements Callable<Integer> {
        @Mixin
        ConfigurationOptions options;

        @Spec
        CommandSpec spec;

        /** The configuration file and {@code -D} flags, read with the warehouse maintenance options. */
        JobConfiguration configuration() {
            return options.resolve(WarehouseOptions.maintenanceOptions());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    /** Runs {@code work} on one table of the configured warehouse, closing the catalog after it. */
    private static <R> R onTable(Configuration conf, WarehouseTable table, Function<Table, R> work) {
        WarehouseCatalog where = WarehouseCatalog.from(conf);
        Catalog catalog = where.open();
        try {
            return work.apply(WarehouseCatalog.load(catalog, where, table));
        } finally {
            WarehouseCatalog.close(catalog);
        }
    }

    /** The tables named, or all of them. */
    static List<WarehouseTable> selected(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of(WarehouseTable.values());
        }
        return names.stream().map(name -> Arrays.stream(WarehouseTable.values())
                .filter(t -> t.tableName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No warehouse table '" + name + "'; the tables are "
                        + Arrays.stream(WarehouseTable.values()).map(WarehouseTable::tableName).toList())))
                .toList();
    }
}
