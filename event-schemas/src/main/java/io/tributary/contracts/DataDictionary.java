package io.tributary.contracts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Renders the data dictionary (Markdown) from the contracts: every topic, its fields with type,
 * description, personal-data kind and default, and the version history of its subject. The
 * committed copy is {@code docs/data-dictionary.md}; {@code DataDictionaryTest} fails when it is
 * stale.
 */
public final class DataDictionary {
    /** The dictionary's path from the repository root. */
    public static final String PATH = "docs/data-dictionary.md";

    private DataDictionary() {}

    /** The whole dictionary. Deterministic: the same contracts give the same text. */
    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Tributary data dictionary\n\n")
                .append("Generated from the Avro contracts in `event-schemas` by `./tributary schemas dictionary`;\n")
                .append("do not edit by hand. Every value is Avro in the Confluent wire format (magic byte 0, 4-byte\n")
                .append("schema id, Avro binary), registered under the subject `<topic>-value`. Keys are UTF-8 strings.\n")
                .append("Output topics are written in Kafka transactions: read them with `isolation.level=read_committed`.\n\n")
                .append("A field marked with a PII kind holds personal data in clear; it never leaves the first operator\n")
                .append("that reads it (the dead-letter topic's original bytes aside). A field marked \"masked from\" holds\n")
                .append("a token or truncation of personal data instead.\n\n");
        out.append("## Topics\n\n")
                .append("| topic | role | value record | key | cleanup | retention | partitions | compatibility |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (TopicContract c : TopicContract.values()) {
            out.append("| [`").append(c.topic()).append("`](#").append(anchor(c.topic())).append(") | ")
                    .append(c.role().name().toLowerCase()).append(" | ")
                    .append(c.valueSchema().getName()).append(" | ")
                    .append(escape(c.key())).append(" | ")
                    .append(c.cleanupPolicy().kafkaValue()).append(" | ")
                    .append(c.retention().map(d -> d.toDays() + " days").orElse("forever (latest per key)")).append(" | ")
                    .append(c.partitions()).append(" | ")
                    .append(c.compatibility()).append(" |\n");
        }
        out.append('\n');
        for (TopicContract c : TopicContract.values()) {
            renderTopic(out, c);
        }
        renderDeadLetterReasons(out);
        return out.toString();
    }

    private static void renderTopic(StringBuilder out, TopicContract c) {
        Schema schema = c.valueSchema();
        out.append("## ").append(c.topic()).append("\n\n")
                .append(schema.getDoc()).append("\n\n")
                .append("- Subject: `").append(c.subject()).append("`, compatibility `").append(c.compatibility())
                .append("`: ").append(c.compatibilityReason()).append(".\n")
                .append("- Value record: `").append(schema.getFullName()).append("`\n")
                .append("- Key: ").append(c.key()).append('\n');
        if (c.restricted()) {
            out.append("- **Access-restricted and short-lived**: it keeps the original bytes of rejected records,"
                    + " personal data included, for ").append(c.retention().map(d -> d.toDays() + " days").orElse(""))
                    .append(". Only the jobs and the operators who replay records may read it.\n");
        }
        out.append('\n')
                .append("| field | type | PII | default | description |\n")
                .append("|---|---|---|---|---|\n");
        for (FieldRow row : rows(schema)) {
            out.append("| `").append(row.path).append("` | ").append(escape(row.type)).append(" | ")
                    .append(escape(row.pii)).append(" | ").append(escape(row.defaultValue)).append(" | ")
                    .append(escape(row.doc)).append(" |\n");
        }
        out.append('\n');
        List<Schema> enums = new ArrayList<>();
        collectEnums(schema, enums, new ArrayList<>());
        for (Schema e : enums) {
            out.append("`").append(e.getName()).append("`: ").append(String.join(", ", e.getEnumSymbols()))
                    .append(" (default for unknown symbols: ").append(Objects.toString(e.getEnumDefault(), "none"))
                    .append("). ").append(e.getDoc() == null ? "" : e.getDoc()).append("\n\n");
        }
        renderHistory(out, c);
    }

    private static void renderHistory(StringBuilder out, TopicContract c) {
        List<Schema> versions = SchemaHistory.releasedVersions(c);
        out.append("Version history of `").append(c.subject()).append("`:\n\n")
                .append("| version | changes |\n|---|---|\n");
        for (int i = 0; i < versions.size(); i++) {
            String changes = i == 0 ? "first release" : changes(versions.get(i - 1), versions.get(i));
            out.append("| v").append(i + 1).append(" | ").append(escape(changes)).append(" |\n");
        }
        if (SchemaHistory.hasUnreleasedChanges(c)) {
            String changes = versions.isEmpty()
                    ? "not released yet"
                    : changes(versions.get(versions.size() - 1), c.valueSchema());
            out.append("| unreleased | ").append(escape(changes)).append(" |\n");
        }
        out.append('\n');
    }

    /** Field-level differences between two versions, in words. */
    static String changes(Schema from, Schema to) {
        Map<String, FieldRow> before = byPath(rows(from));
        Map<String, FieldRow> after = byPath(rows(to));
        List<String> changes = new ArrayList<>();
        after.forEach((path, row) -> {
            FieldRow old = before.get(path);
            if (old == null) {
                changes.add("added `" + path + "` (" + row.type
                        + (row.defaultValue.isEmpty() ? "" : ", default " + row.defaultValue) + ")");
            } else if (!old.type.equals(row.type)) {
                changes.add("`" + path + "` type " + old.type + " -> " + row.type);
            } else if (!old.defaultValue.equals(row.defaultValue)) {
                changes.add("`" + path + "` default " + old.defaultValue + " -> " + row.defaultValue);
            } else if (!old.doc.equals(row.doc) || !old.pii.equals(row.pii)) {
                changes.add("`" + path + "` description or PII kind changed");
            }
        });
        before.keySet().stream().filter(p -> !after.containsKey(p)).forEach(p -> changes.add("removed `" + p + "`"));
        if (changes.isEmpty() && !from.toString().equals(to.toString())) {
            changes.add("documentation or properties of the record changed");
        }
        return String.join("; ", changes);
    }

    private static void renderDeadLetterReasons(StringBuilder out) {
        out.append("## Dead-letter reasons\n\n")
                .append("The `reason` of a record in `").append(TopicContract.DEAD_LETTERS.topic())
                .append("` is one of these codes.\n\n")
                .append("| reason | meaning |\n|---|---|\n");
        for (RejectionReason reason : RejectionReason.values()) {
            out.append("| `").append(reason.name()).append("` | ").append(escape(reason.description()))
                    .append(" |\n");
        }
    }

    private record FieldRow(String path, String type, String pii, String defaultValue, String doc) {}

    private static List<FieldRow> rows(Schema record) {
        List<FieldRow> rows = new ArrayList<>();
        addRows(record, "", rows, new ArrayList<>());
        return rows;
    }

    private static void addRows(Schema record, String prefix, List<FieldRow> rows, List<String> seen) {
        seen.add(record.getFullName());
        for (Schema.Field field : record.getFields()) {
            String path = prefix + field.name();
            rows.add(new FieldRow(path, typeName(field.schema()), piiOf(field), defaultOf(field),
                    field.doc() == null ? "" : field.doc()));
            Schema nested = nestedRecord(field.schema());
            if (nested != null && !seen.contains(nested.getFullName())) {
                addRows(nested, path + (field.schema().getType() == Schema.Type.ARRAY ? "[]." : "."), rows, seen);
            }
        }
    }

    private static Schema nestedRecord(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> schema;
            case ARRAY -> nestedRecord(schema.getElementType());
            case UNION -> schema.getTypes().stream().map(DataDictionary::nestedRecord).filter(Objects::nonNull)
                    .findFirst().orElse(null);
            default -> null;
        };
    }

    private static void collectEnums(Schema schema, List<Schema> into, List<String> seen) {
        if (seen.contains(schema.getFullName())) {
            return;
        }
        switch (schema.getType()) {
            case ENUM -> {
                seen.add(schema.getFullName());
                into.add(schema);
            }
            case RECORD -> {
                seen.add(schema.getFullName());
                schema.getFields().forEach(f -> collectEnums(f.schema(), into, seen));
            }
            case ARRAY -> collectEnums(schema.getElementType(), into, seen);
            case UNION -> schema.getTypes().forEach(t -> collectEnums(t, into, seen));
            default -> { }
        }
    }

    static String typeName(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        }
        if (logical != null) {
            return logical.getName() + " (" + schema.getType().getName() + ")";
        }
        return switch (schema.getType()) {
            case RECORD -> "record " + schema.getName();
            case ENUM -> "enum " + schema.getName();
            case ARRAY -> "array of " + typeName(schema.getElementType());
            case MAP -> "map of " + typeName(schema.getValueType());
            case UNION -> {
                List<Schema> branches = schema.getTypes();
                List<String> nonNull = branches.stream().filter(t -> t.getType() != Schema.Type.NULL)
                        .map(DataDictionary::typeName).collect(Collectors.toList());
                boolean nullable = nonNull.size() < branches.size();
                yield String.join(" or ", nonNull) + (nullable ? ", nullable" : "");
            }
            case FIXED -> "fixed(" + schema.getFixedSize() + ")";
            default -> schema.getType().getName();
        };
    }

    private static String piiOf(Schema.Field field) {
        Object pii = field.getObjectProp("pii");
        if (pii != null) {
            return pii.toString();
        }
        Object maskedFrom = field.getObjectProp("masked_from");
        return maskedFrom != null ? "masked from " + maskedFrom : "";
    }

    private static String defaultOf(Schema.Field field) {
        if (!field.hasDefaultValue()) {
            return "";
        }
        Object value = field.defaultVal();
        return value == JsonProperties.NULL_VALUE ? "null" : String.valueOf(value);
    }

    private static Map<String, FieldRow> byPath(List<FieldRow> rows) {
        Map<String, FieldRow> map = new LinkedHashMap<>();
        rows.forEach(r -> map.put(r.path, r));
        return map;
    }

    private static String anchor(String topic) {
        return topic.replace(".", "");
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
