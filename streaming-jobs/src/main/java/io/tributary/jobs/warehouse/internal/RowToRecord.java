package io.tributary.jobs.warehouse.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/**
 * Reads rows of a table back as the contract's Avro records, field by field by name: the inverse
 * of {@link RecordToRow}, for the backfill, which feeds warehouse rows to the stream's own
 * operators. Fields the table lacks keep their Avro default (null). Built on first use.
 */
public final class RowToRecord<T extends IndexedRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final org.apache.iceberg.Schema table;
    private final Class<T> recordClass;
    private transient Function<Object, Object> convert;

    public RowToRecord(org.apache.iceberg.Schema table, Class<T> recordClass) {
        this.table = table;
        this.recordClass = recordClass;
    }

    @SuppressWarnings("unchecked")
    public T record(RowData row) {
        if (convert == null) {
            Schema schema = SpecificData.get().getSchema(recordClass);
            convert = recordConverter(schema, FlinkSchemaUtil.convert(table));
        }
        return (T) convert.apply(row);
    }

    private static Function<Object, Object> recordConverter(Schema schema, RowType rowType) {
        List<Schema.Field> fields = schema.getFields();
        int[] positions = new int[fields.size()];
        RowData.FieldGetter[] getters = new RowData.FieldGetter[fields.size()];
        @SuppressWarnings("unchecked")
        Function<Object, Object>[] converters = new Function[fields.size()];
        for (int i = 0; i < positions.length; i++) {
            Schema.Field field = fields.get(i);
            int index = rowType.getFieldNames().indexOf(field.name());
            positions[i] = index;
            if (index >= 0) {
                LogicalType type = rowType.getTypeAt(index);
                getters[i] = RowData.createFieldGetter(type, index);
                converters[i] = converter(field.schema(), type);
            }
        }
        return v -> {
            RowData row = (RowData) v;
            IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
            for (int i = 0; i < positions.length; i++) {
                if (positions[i] >= 0) {
                    record.put(i, converters[i].apply(getters[i].getFieldOrNull(row)));
                }
            }
            return record;
        };
    }

    private static Function<Object, Object> converter(Schema schema, LogicalType type) {
        Function<Object, Object> convert = nonNullConverter(AvroToIceberg.nonNull(schema), type);
        return v -> v == null ? null : convert.apply(v);
    }

    private static Function<Object, Object> nonNullConverter(Schema schema, LogicalType type) {
        org.apache.avro.LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal) {
            return v -> ((DecimalData) v).toBigDecimal();
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return v -> ((TimestampData) v).toInstant();
        }
        if (logical != null && "uuid".equals(logical.getName())) {
            return v -> UUID.fromString(v.toString());
        }
        return switch (schema.getType()) {
            case STRING -> Object::toString;
            case ENUM -> v -> SpecificData.get().createEnum(v.toString(), schema);
            case INT, LONG, BOOLEAN, FLOAT, DOUBLE -> v -> v;
            case RECORD -> recordConverter(schema, (RowType) type);
            case ARRAY -> {
                LogicalType elementType = ((ArrayType) type).getElementType();
                ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
                Function<Object, Object> element = converter(schema.getElementType(), elementType);
                yield v -> {
                    ArrayData array = (ArrayData) v;
                    List<Object> list = new ArrayList<>(array.size());
                    for (int i = 0; i < array.size(); i++) {
                        list.add(element.apply(getter.getElementOrNull(array, i)));
                    }
                    return list;
                };
            }
            default -> throw new IllegalArgumentException("No warehouse column type for Avro " + schema);
        };
    }
}
