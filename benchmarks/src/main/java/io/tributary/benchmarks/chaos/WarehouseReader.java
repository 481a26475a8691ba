package io.tributary.benchmarks.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What warehouse-sink committed, read with Iceberg's own generic reader from the table folders of
 * its Hadoop catalog ({@code <warehouse>/<namespace>/<table>}), none of the jobs' classes: the
 * rows of the measured input in the raw table by the Kafka record they came from, how often each
 * event id is in the enriched table and each alert id in the alerts table; and the canaries in
 * every text value of every table.
 */
final class WarehouseReader {
    static final String NAMESPACE = "tributary";
    static final List<String> TABLES = List.of("raw_transactions", "accounts", "merchants", "fx_rates",
            "transactions_enriched", "fraud_alerts");

    private final Path namespace;
    private final HadoopTables tables = new HadoopTables(new Configuration());

    /** @param warehouse the folder given to warehouse-sink as {@code tributary.warehouse.location} */
    WarehouseReader(Path warehouse) {
        this.namespace = warehouse.resolve(NAMESPACE);
    }

    /**
     * What the tables hold as of now about the measured input.
     *
     * @param rawRows rows of the raw table about the measured input
     * @param rawDistinct of those, distinct source records (partition and offset)
     * @param rawUnexpected rows of the raw table about an event neither of the measured input nor of
     *     the tail: a rejected record kept as a payment
     * @param enrichedRows how often each event id is in the enriched table (the tail left out)
     * @param alertRows how often each alert id is in the alerts table (alerts about the tail left out)
     */
    record Tables(long rawRows, long rawDistinct, long rawUnexpected, Map<String, Integer> enrichedRows,
            Map<String, Integer> alertRows) {
        static final Tables NONE = new Tables(0, 0, 0, Map.of(), Map.of());
    }

    /**
     * The tables as of now: {@code measuredIds} are the measured input's event ids, {@code tailIds}
     * those of the tail, which still flows and is left out.
     */
    Tables read(Set<String> measuredIds, Set<String> tailIds) {
        if (!namespace.resolve("raw_transactions").resolve("metadata").toFile().isDirectory()) {
            return Tables.NONE;
        }
        Set<String> rawRecords = new HashSet<>();
        long[] rawRows = {0};
        long[] rawUnexpected = {0};
        scan("raw_transactions", List.of("event_id", "ingest_partition", "ingest_offset"), row -> {
            String id = String.valueOf(row.getField("event_id"));
            if (measuredIds.contains(id)) {
                rawRows[0]++;
                rawRecords.add(row.getField("ingest_partition") + "@" + row.getField("ingest_offset"));
            } else if (!tailIds.contains(id)) {
                rawUnexpected[0]++;
            }
        });
        Map<String, Integer> enriched = new HashMap<>();
        scan("transactions_enriched", List.of("event_id"), row -> {
            String id = String.valueOf(row.getField("event_id"));
            if (!tailIds.contains(id)) {
                enriched.merge(id, 1, Integer::sum);
            }
        });
        Map<String, Integer> alerts = new HashMap<>();
        scan("fraud_alerts", List.of("alert_id", "event_id"), row -> {
            if (!tailIds.contains(String.valueOf(row.getField("event_id")))) {
                alerts.merge(String.valueOf(row.getField("alert_id")), 1, Integer::sum);
            }
        });
        return new Tables(rawRows[0], rawRecords.size(), rawUnexpected[0], enriched, alerts);
    }

    /** The canaries in every text value of every row of every table, nested ones included. */
    Canaries.Found canaries() {
        Canaries.Found[] found = {Canaries.Found.NONE};
        for (String name : TABLES) {
            scan(name, null, row -> found[0] = found[0].plus(textIn(row)));
        }
        return found[0];
    }

    /** The canaries in {@code value}'s text: a string, or the strings inside a struct, list or map. */
    private static Canaries.Found textIn(Object value) {
        if (value instanceof CharSequence text) {
            return Canaries.in(text.toString());
        }
        Canaries.Found found = Canaries.Found.NONE;
        if (value instanceof Record record) {
            for (int i = 0; i < record.size(); i++) {
                found = found.plus(textIn(record.get(i)));
            }
        } else if (value instanceof Collection<?> values) {
            for (Object element : values) {
                found = found.plus(textIn(element));
            }
        } else if (value instanceof Map<?, ?> entries) {
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                found = found.plus(textIn(entry.getKey())).plus(textIn(entry.getValue()));
            }
        }
        return found;
    }

    /** Each row of the table, if it exists yet, with only {@code columns} (all when null). */
    private void scan(String name, List<String> columns, Consumer<Record> each) {
        Table table = load(name);
        if (table == null) {
            return;
        }
        IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table);
        if (columns != null) {
            scan = scan.select(columns);
        }
        try (CloseableIterable<Record> rows = scan.build()) {
            rows.forEach(each);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the warehouse table " + name + ": " + e.getMessage(), e);
        }
    }

    private Table load(String name) {
        Path folder = namespace.resolve(name);
        return folder.resolve("metadata").toFile().isDirectory() ? tables.load(folder.toUri().toString()) : null;
    }
}
