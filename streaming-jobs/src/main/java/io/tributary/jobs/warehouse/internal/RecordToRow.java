package io.tributary.jobs.warehouse.internal;

import io.tributary.jobs.warehouse.WarehouseTable;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.types.Types;

/**
 * Writes Avro records as rows of a table: each column of the table's current schema is filled by
 * name from the record's field, from the ingest metadata, or with null when the record's contract
 * has no such field (a column a newer contract added). Built on first use from the table schema and
 * the contract, both serializable, so it travels inside a source.
 */
public final class RecordToRow implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a row came from on Kafka. */
    public record Ingest(String topic, int partition, long offset, long timestampMillis) {}

    private final org.apache.iceberg.Schema table;
    private final String contractJson;
    private transient Column[] columns;

    private record Column(int field, Function<Object, Object> converter, String special) {}

    public RecordToRow(org.apache.iceberg.Schema table, Schema contract) {
        this.table = table;
        this.contractJson = contract.toString();
    }

    /** The row of a record. */
    public RowData row(IndexedRecord record, Ingest ingest) {
        return fill(record, null, null, ingest);
    }

    /** The row of a tombstone: the key column set, {@code deleted} true, the rest null. */
    public RowData tombstone(String keyColumn, String key, Ingest ingest) {
        return fill(null, keyColumn, key, ingest);
    }

    private RowData fill(IndexedRecord record, String keyColumn, String key, Ingest ingest) {
        Column[] cols = columns();
        List<Types.NestedField> fields = table.columns();
        GenericRowData row = new GenericRowData(cols.length);
        for (int i = 0; i < cols.length; i++) {
            Column c = cols[i];
            Object value;
            if (c.special != null) {
                value = switch (c.special) {
                    case WarehouseTable.DELETED -> record == null;
                    case WarehouseTable.INGEST_TOPIC -> StringData.fromString(ingest.topic());
                    case WarehouseTable.INGEST_PARTITION -> ingest.partition();
                    case WarehouseTable.INGEST_OFFSET -> ingest.offset();
                    case WarehouseTable.INGEST_TIME -> TimestampData.fromEpochMillis(ingest.timestampMillis());
                    default -> throw new IllegalStateException(c.special);
                };
            } else if (record == null) {
                value = fields.get(i).name().equals(keyColumn) ? StringData.fromString(key) : null;
            } else {
                value = c.field < 0 ? null : c.converter.apply(record.get(c.field));
            }
            row.setField(i, value);
        }
        return row;
    }

    private Column[] columns() {
        if (columns == null) {
            Schema contract = new Schema.Parser().parse(contractJson);
            List<Types.NestedField> fields = table.columns();
            Column[] built = new Column[fields.size()];
            for (int i = 0; i < built.length; i++) {
                String name = fields.get(i).name();
                Schema.Field field = contract.getField(name);
                if (field != null && field.getObjectProp(AvroToIceberg.PII_PROPERTY) == null) {
                    built[i] = new Column(field.pos(), converter(field.schema(), fields.get(i).type()), null);
                } else if (isSpecial(name)) {
                    built[i] = new Column(-1, null, name);
                } else {
                    built[i] = new Column(-1, null, null);
                }
            }
            columns = built;
        }
        return columns;
    }

    private static boolean isSpecial(String name) {
        return switch (name) {
            case WarehouseTable.DELETED, WarehouseTable.INGEST_TOPIC, WarehouseTable.INGEST_PARTITION,
                    WarehouseTable.INGEST_OFFSET, WarehouseTable.INGEST_TIME -> true;
            default -> false;
        };
    }

    /** A converter from the Avro Java value of {@code schema} to Flink's internal value of {@code type}. */
    static Function<Object, Object> converter(Schema schema, org.apache.iceberg.types.Type type) {
        Function<Object, Object> convert = nonNullConverter(AvroToIceberg.nonNull(schema), type);
        return v -> v == null ? null : convert.apply(v);
    }

    private static Function<Object, Object> nonNullConverter(Schema schema, org.apache.iceberg.types.Type type) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            int precision = decimal.getPrecision();
            int scale = decimal.getScale();
            return v -> DecimalData.fromBigDecimal((BigDecimal) v, precision, scale);
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return v -> TimestampData.fromInstant((Instant) v);
        }
        return switch (schema.getType()) {
            case STRING, ENUM -> v -> StringData.fromString(v.toString());
            case INT, LONG, BOOLEAN, FLOAT, DOUBLE -> v -> v;
            case RECORD -> {
                Types.StructType struct = type.asStructType();
                List<Types.NestedField> nested = struct.fields();
                int[] positions = new int[nested.size()];
                @SuppressWarnings("unchecked")
                Function<Object, Object>[] converters = new Function[nested.size()];
                for (int i = 0; i < positions.length; i++) {
                    Schema.Field f = schema.getField(nested.get(i).name());
                    positions[i] = f == null ? -1 : f.pos();
                    converters[i] = f == null ? null : converter(f.schema(), nested.get(i).type());
                }
                yield v -> {
                    IndexedRecord r = (IndexedRecord) v;
                    GenericRowData row = new GenericRowData(positions.length);
                    for (int i = 0; i < positions.length; i++) {
                        row.setField(i, positions[i] < 0 ? null : converters[i].apply(r.get(positions[i])));
                    }
                    return row;
                };
            }
            case ARRAY -> {
                Function<Object, Object> element = converter(schema.getElementType(), type.asListType().elementType());
                yield v -> new GenericArrayData(((List<?>) v).stream().map(element).toArray());
            }
            default -> throw new IllegalArgumentException("No warehouse column type for Avro " + schema);
        };
    }
}
