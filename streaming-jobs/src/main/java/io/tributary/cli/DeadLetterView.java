package io.tributary.cli;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.OriginalHeader;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.ConfluentWireFormat;
import io.tributary.serde.EventDecodingException;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * One dead letter as {@code tributary dlq show} prints it. Its original key, headers and value may hold
 * personal data in clear, so by default they are shown as lengths, and a value that decodes is shown
 * field by field with every personal-data field masked: those the writer's schema marks {@code pii}, and
 * any field of that name in a contract (a producer's schema might lack the property). With reveal,
 * everything is shown as read.
 */
final class DeadLetterView {
    /** Field names marked as personal data in some contract. */
    private static final Set<String> PII_FIELDS = piiFieldNames();

    private final SchemaRegistryConfig registry;
    private final boolean reveal;

    DeadLetterView(SchemaRegistryConfig registry, boolean reveal) {
        this.registry = registry;
        this.reveal = reveal;
    }

    void print(DeadLetterTopic.Stored stored, String topic, PrintWriter out) {
        DeadLetter d = stored.deadLetter();
        out.printf("%-14s %s partition %d offset %d%n", "dead letter", topic, stored.partition(), stored.offset());
        out.printf("%-14s %s: %s%n", "reason", d.getReason(), d.getReasonDetail());
        out.printf("%-14s %s at %s%n", "rejected by", d.getJob(), d.getFailedAt());
        out.printf("%-14s %s partition %d offset %d, timestamp %s%n", "source", d.getSourceTopic(),
                d.getSourcePartition(), d.getSourceOffset(), d.getSourceTimestamp() == null ? "none" : d.getSourceTimestamp());
        out.printf("%-14s %s%n", "schema id", d.getSchemaId() == null ? "none" : d.getSchemaId());
        out.printf("%-14s %s%n", "key", d.getOriginalKey() == null ? "none" : bytes(d.getOriginalKey()));
        out.printf("%-14s %s%n", "headers", headers(d.getOriginalHeaders()));
        printValue(d, out);
        if (!reveal) {
            out.println("(personal data masked; --reveal shows it and is audited)");
        }
    }

    private String headers(List<OriginalHeader> headers) {
        if (headers == null) {
            return "unknown (dead letter written before headers were kept)";
        }
        if (headers.isEmpty()) {
            return "none";
        }
        return String.join(", ", headers.stream()
                .map(h -> h.getKey() + "=" + (h.getValue() == null ? "null" : bytes(h.getValue()))).toList());
    }

    private void printValue(DeadLetter d, PrintWriter out) {
        if (d.getOriginalValue() == null) {
            out.printf("%-14s none (a tombstone)%n", "value");
            return;
        }
        byte[] value = DeadLetterReplay.copy(d.getOriginalValue());
        Integer schemaId = ConfluentWireFormat.schemaId(value);
        String framing = schemaId != null ? "Confluent-framed, schema id " + schemaId
                : value.length == 0 ? "empty" : String.format("not Confluent-framed (first byte 0x%02x)", value[0]);
        out.printf("%-14s %d bytes, %s%n", "value", value.length, framing);
        if (reveal) {
            out.printf("%-14s %s%n", "value (hex)", HexFormat.of().formatHex(value));
        }
        if (schemaId == null) {
            return;
        }
        GenericRecord record;
        try {
            Schema writer = SchemaRegistryClient.shared(registry).schemaById(schemaId);
            record = ConfluentAvroDeserializationSchema.forGeneric(writer).registry(registry).build().deserialize(value);
        } catch (EventDecodingException e) {
            // Only the kind of failure: a decoder's message may quote the bytes.
            out.printf("%-14s does not decode: %s%n", "", e.failure().reasonCode());
            return;
        } catch (SchemaRegistryException e) {
            out.printf("%-14s not decoded: schema id %d is unknown to the registry%n", "", schemaId);
            return;
        } catch (IOException e) {
            out.printf("%-14s does not decode: %s%n", "", e.getClass().getSimpleName());
            return;
        }
        printRecord(record, "  ", out);
    }

    private void printRecord(GenericRecord record, String indent, PrintWriter out) {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value instanceof GenericRecord nested) {
                out.printf("%s%s:%n", indent, field.name());
                printRecord(nested, indent + "  ", out);
            } else if (!reveal && value != null && (field.getProp("pii") != null || PII_FIELDS.contains(field.name()))) {
                out.printf("%s%s: <masked, %d characters>%n", indent, field.name(), String.valueOf(value).length());
            } else if (!reveal && (value instanceof java.util.Collection<?> || value instanceof java.util.Map<?, ?>)) {
                // Their elements are not checked field by field; their size is enough to tell records apart.
                out.printf("%s%s: <%d entries, not shown>%n", indent, field.name(),
                        value instanceof java.util.Map<?, ?> m ? m.size() : ((java.util.Collection<?>) value).size());
            } else {
                out.printf("%s%s: %s%n", indent, field.name(), readable(value, field.schema()));
            }
        }
    }

    /** Decimals and timestamps as numbers and instants, rather than Avro's bytes and longs. */
    private static String readable(Object value, Schema schema) {
        Schema type = schema;
        if (schema.getType() == Schema.Type.UNION && value != null) {
            type = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
        }
        if (type.getLogicalType() instanceof LogicalTypes.Decimal && value instanceof ByteBuffer buffer) {
            return new Conversions.DecimalConversion().fromBytes(buffer.duplicate(), type, type.getLogicalType()).toPlainString();
        }
        if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis && value instanceof Long millis) {
            return Instant.ofEpochMilli(millis).toString();
        }
        return String.valueOf(value);
    }

    /** Bytes as their length, or with reveal as UTF-8 text when they are that, else hex. */
    private String bytes(ByteBuffer buffer) {
        byte[] bytes = DeadLetterReplay.copy(buffer);
        if (!reveal) {
            return "<" + bytes.length + " bytes>";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.chars().noneMatch(Character::isISOControl)) {
                return "\"" + text + "\"";
            }
        } catch (CharacterCodingException notText) {
            // shown as hex below
        }
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    private static Set<String> piiFieldNames() {
        Set<String> names = new HashSet<>();
        for (TopicContract contract : TopicContract.values()) {
            collect(contract.valueSchema(), names, new HashSet<>());
        }
        return Set.copyOf(names);
    }

    private static void collect(Schema schema, Set<String> names, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.getProp("pii") != null) {
                        names.add(field.name());
                    }
                    collect(field.schema(), names, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(s -> collect(s, names, seen));
            case ARRAY -> collect(schema.getElementType(), names, seen);
            case MAP -> collect(schema.getValueType(), names, seen);
            default -> {
            }
        }
    }
}
