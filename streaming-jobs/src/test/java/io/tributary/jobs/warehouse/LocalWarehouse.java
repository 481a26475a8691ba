package io.tributary.jobs.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.Tributary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.types.Types;

/**
 * The six tables of one namespace of a warehouse on local files, opened for a test: the tables
 * through the Iceberg API, the command line run in-process on them, and deep copies of them in a
 * namespace of their own for tests that change tables.
 */
final class LocalWarehouse implements AutoCloseable {
    private final WarehouseCatalog where;
    private final Catalog opened;
    /** Whether this is a copy a test made (its sizes are printed when the test closes it). */
    private final boolean copy;

    LocalWarehouse(WarehouseCatalog where) {
        this(where, false);
    }

    private LocalWarehouse(WarehouseCatalog where, boolean copy) {
        this.where = where;
        this.opened = where.open();
        this.copy = copy;
    }

    WarehouseCatalog where() {
        return where;
    }

    /** The table, refreshed. */
    Table table(WarehouseTable table) {
        Table t = WarehouseCatalog.load(opened, where, table);
        t.refresh();
        return t;
    }

    Set<String> columns(WarehouseTable table) {
        return table(table).schema().columns().stream().map(Types.NestedField::name).collect(Collectors.toSet());
    }

    /** Each table's current metadata file: every commit (data, schema, properties) writes a new one. */
    Map<WarehouseTable, String> metadataFiles() {
        Map<WarehouseTable, String> files = new EnumMap<>(WarehouseTable.class);
        for (WarehouseTable t : WarehouseTable.values()) {
            files.put(t, ((HasTableOperations) table(t)).operations().current().metadataFileLocation());
        }
        return files;
    }

    /**
     * A deep copy of every table ({@link TableCopy}) in the new namespace {@code namespace} of the
     * same warehouse: changing it changes nothing here. Close it when done.
     */
    LocalWarehouse copyTo(String namespace) {
        WarehouseCatalog target = new WarehouseCatalog(where.type(), where.location(), where.uri(), where.properties(),
                namespace, where.credentialVariable());
        ((SupportsNamespaces) opened).createNamespace(Namespace.of(namespace));
        for (WarehouseTable t : WarehouseTable.values()) {
            TableCopy.copy(table(t), opened, target.identifier(t));
        }
        return new LocalWarehouse(target, true);
    }

    /** DuckDB through the command, as CSV. */
    String query(String sql) {
        return tributary("warehouse", "query", "--format", "CSV", sql);
    }

    /** Runs the command line in-process on these tables; what it printed, which must be no error. */
    String tributary(String... args) {
        Run run = run(args);
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        return run.out();
    }

    /** What a command printed, on standard output and error, and its exit code. */
    record Run(int code, String out, String err) {}

    /** Runs the command line in-process on these tables, whatever its outcome. */
    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Tributary.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-D", "tributary.warehouse.location=" + where.location(),
                "-D", "tributary.warehouse.namespace=" + where.namespace()));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** For the record (the closing notes quote it): what is in each table. */
    void printTableSizes(String when) {
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

    @Override
    public void close() {
        try {
            if (copy) {
                printTableSizes("in the copy " + where.namespace() + " after the test that changed it");
            }
        } finally {
            WarehouseCatalog.close(opened);
        }
    }
}
