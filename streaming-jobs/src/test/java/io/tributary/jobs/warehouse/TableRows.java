package io.tributary.jobs.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * Rows of a table and records of a topic in one comparable form: column name to value, with
 * timestamps as instants, decimals without trailing zeros and enums and UUIDs as text. Read with
 * Iceberg's own generic reader, independent of the job's Flink reader and writer.
 */
final class TableRows {
    private TableRows() {}

    static List<Map<String, Object>> read(Table table) {
        table.refresh();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                rows.add(row(r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static Map<String, Object> row(Record r) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Types.NestedField f : r.struct().fields()) {
            row.put(f.name(), value(r.getField(f.name())));
        }
        return row;
    }

    /** The record's fields that are also columns, in the same form as {@link #read}. */
    static Map<String, Object> of(IndexedRecord record, Set<String> columns) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            if (columns.contains(f.name())) {
                row.put(f.name(), value(record.get(f.pos())));
            }
        }
        return row;
    }

    private static Object value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof Instant t) {
            return t;
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Record r) {
            return row(r);
        }
        if (v instanceof IndexedRecord r) {
            Map<String, Object> nested = new LinkedHashMap<>();
            for (Schema.Field f : r.getSchema().getFields()) {
                nested.put(f.name(), value(r.get(f.pos())));
            }
            return nested;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(TableRows::value).toList();
        }
        if (v instanceof Boolean || v instanceof Number) {
            return v;
        }
        return v.toString();
    }
}
