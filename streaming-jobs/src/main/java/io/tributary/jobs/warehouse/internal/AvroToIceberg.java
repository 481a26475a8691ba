package io.tributary.jobs.warehouse.internal;

import io.tributary.jobs.warehouse.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Iceberg types from Avro contracts. Strings, UUIDs and enums become strings (readable by every
 * engine), {@code timestamp-millis} becomes a timestamp with time zone, decimals keep their
 * precision and scale, records become structs and arrays lists; {@code ["null", X]} is an optional X.
 * Fields with a {@code pii} property are left out.
 */
public final class AvroToIceberg {
    /** The contract property naming the kind of personal data a field holds. */
    public static final String PII_PROPERTY = "pii";

    private AvroToIceberg() {}

    /**
     * The columns of a table: the contract's fields, then {@code deleted} and the ingest metadata
     * when asked for. Field ids are placeholders; the catalog assigns the table's own.
     *
     * @param allOptional make every contract column optional (changelog tables: tombstones)
     */
    public static org.apache.iceberg.Schema tableSchema(Schema contract, boolean allOptional, boolean withDeleted,
            boolean withIngestMetadata) {
        int[] ids = {0};
        List<Types.NestedField> columns = new ArrayList<>(fields(contract, allOptional, ids));
        if (withDeleted) {
            columns.add(Types.NestedField.required(++ids[0], WarehouseTable.DELETED, Types.BooleanType.get(),
                    "The row records a tombstone: the key was removed (for accounts, the customer asked to be forgotten)."));
        }
        if (withIngestMetadata) {
            columns.add(Types.NestedField.required(++ids[0], WarehouseTable.INGEST_TOPIC, Types.StringType.get(),
                    "Kafka topic the row was read from."));
            columns.add(Types.NestedField.required(++ids[0], WarehouseTable.INGEST_PARTITION, Types.IntegerType.get(),
                    "Kafka partition the row was read from."));
            columns.add(Types.NestedField.required(++ids[0], WarehouseTable.INGEST_OFFSET, Types.LongType.get(),
                    "Kafka offset of the record: with topic and partition, unique per row."));
            columns.add(Types.NestedField.required(++ids[0], WarehouseTable.INGEST_TIME,
                    Types.TimestampType.withZone(), "Timestamp of the Kafka record (UTC)."));
        }
        return new org.apache.iceberg.Schema(columns);
    }

    private static List<Types.NestedField> fields(Schema record, boolean allOptional, int[] ids) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            if (field.getObjectProp(PII_PROPERTY) != null) {
                continue;
            }
            Schema schema = field.schema();
            boolean optional = allOptional || isOptional(schema);
            Type type = type(nonNull(schema), ids);
            int id = ++ids[0];
            fields.add(optional ? Types.NestedField.optional(id, field.name(), type, field.doc())
                    : Types.NestedField.required(id, field.name(), type, field.doc()));
        }
        return fields;
    }

    private static Type type(Schema schema, int[] ids) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return Types.DecimalType.of(decimal.getPrecision(), decimal.getScale());
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            return Types.TimestampType.withZone();
        }
        return switch (schema.getType()) {
            case STRING, ENUM -> Types.StringType.get();
            case INT -> Types.IntegerType.get();
            case LONG -> Types.LongType.get();
            case BOOLEAN -> Types.BooleanType.get();
            case FLOAT -> Types.FloatType.get();
            case DOUBLE -> Types.DoubleType.get();
            case RECORD -> Types.StructType.of(fields(schema, false, ids));
            case ARRAY -> {
                Schema items = schema.getElementType();
                Type element = type(nonNull(items), ids);
                int id = ++ids[0];
                yield isOptional(items) ? Types.ListType.ofOptional(id, element) : Types.ListType.ofRequired(id, element);
            }
            default -> throw new IllegalArgumentException("No warehouse column type for Avro " + schema);
        };
    }

    /** True for {@code ["null", X]}. */
    static boolean isOptional(Schema schema) {
        return schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    /** X of {@code ["null", X]}; the schema itself otherwise. */
    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> types = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (types.size() != 1) {
            throw new IllegalArgumentException("No warehouse column type for a union of " + types);
        }
        return types.get(0);
    }
}
