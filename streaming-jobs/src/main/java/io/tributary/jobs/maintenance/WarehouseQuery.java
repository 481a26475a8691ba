package io.tributary.jobs.maintenance;

import io.tributary.jobs.warehouse.WarehouseCatalog;
import io.tributary.jobs.warehouse.WarehouseTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * SQL over the warehouse with DuckDB, each table a view over the Parquet files of its current
 * snapshot. The file list comes from the Iceberg API (DuckDB's own Iceberg extension would be
 * downloaded at run time): never a glob of the data folder, which also holds files that a backfill
 * or a compaction replaced and that expiry has not deleted yet.
 */
public final class WarehouseQuery {
    /** How results are printed. */
    public enum Format { TABLE, CSV }

    private WarehouseQuery() {}

    /** Runs {@code sql} and prints its result; a SQL error is an {@link IllegalArgumentException} with DuckDB's message. */
    public static int run(WarehouseCatalog where, String sql, Format format, PrintWriter out) {
        Catalog catalog = where.open();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            for (WarehouseTable table : WarehouseTable.values()) {
                statement.execute(viewSql(table.tableName(), WarehouseCatalog.load(catalog, where, table)));
            }
            int rows;
            try (ResultSet result = statement.executeQuery(sql)) {
                rows = format == Format.CSV ? printCsv(result, out) : printTable(result, out);
            } catch (SQLException e) {
                throw new IllegalArgumentException("The query failed: " + e.getMessage(), e);
            }
            out.flush();
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed: " + e.getMessage(), e);
        } finally {
            WarehouseCatalog.close(catalog);
        }
    }

    /** The view of a table: its current snapshot's data files, or no rows of its columns when it has none. */
    static String viewSql(String name, Table table) {
        List<String> files = liveFiles(table);
        if (files.isEmpty()) {
            String columns = table.schema().columns().stream()
                    .map(c -> "CAST(NULL AS " + duckType(c.type()) + ") AS \"" + c.name() + "\"")
                    .collect(Collectors.joining(", "));
            return "CREATE VIEW \"" + name + "\" AS SELECT " + columns + " WHERE false";
        }
        String list = files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", "));
        // union_by_name: files written before a column was added lack it, and read as null.
        return "CREATE VIEW \"" + name + "\" AS SELECT * FROM read_parquet([" + list + "], union_by_name = true)";
    }

    /** The local paths of the data files of the table's current snapshot. */
    static List<String> liveFiles(Table table) {
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty()) {
                    throw new IllegalStateException(table.name() + " has row-level deletes, which read_parquet cannot apply");
                }
                files.add(localPath(task.file().location()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String localPath(String location) {
        if (location.startsWith("/")) {
            return location;
        }
        URI uri = URI.create(location);
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalStateException("Only a warehouse on local files can be queried here, not " + uri.getScheme()
                    + ":// (DuckDB's object-store support is an extension it downloads)");
        }
        return uri.getPath();
    }

    private static String duckType(Type type) {
        return switch (type.typeId()) {
            case STRING -> "VARCHAR";
            case INTEGER -> "INTEGER";
            case LONG -> "BIGINT";
            case BOOLEAN -> "BOOLEAN";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + ((Types.DecimalType) type).precision() + ", " + ((Types.DecimalType) type).scale() + ")";
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMPTZ" : "TIMESTAMP";
            case DATE -> "DATE";
            default -> "VARCHAR";
        };
    }

    private static int printCsv(ResultSet result, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        int columns = meta.getColumnCount();
        List<String> header = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
            header.add(csv(meta.getColumnLabel(i)));
        }
        out.println(String.join(",", header));
        int rows = 0;
        while (result.next()) {
            List<String> cells = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
                String value = result.getString(i);
                cells.add(value == null ? "" : csv(value));
            }
            out.println(String.join(",", cells));
            rows++;
        }
        return rows;
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static int printTable(ResultSet result, PrintWriter out) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        int columns = meta.getColumnCount();
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[columns];
        for (int i = 1; i <= columns; i++) {
            header[i - 1] = meta.getColumnLabel(i);
        }
        while (result.next()) {
            String[] line = new String[columns];
            for (int i = 1; i <= columns; i++) {
                String value = result.getString(i);
                line[i - 1] = value == null ? "NULL" : value;
            }
            lines.add(line);
        }
        int[] widths = new int[columns];
        for (int i = 0; i < columns; i++) {
            widths[i] = header[i].length();
            for (String[] line : lines) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        out.println(row(header, widths));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < columns; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
        for (String[] line : lines) {
            out.println(row(line, widths));
        }
        out.println("(" + lines.size() + (lines.size() == 1 ? " row)" : " rows)"));
        return lines.size();
    }

    private static String row(String[] cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells[i]));
        }
        return b.toString().stripTrailing();
    }
}
