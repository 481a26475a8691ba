package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules every contract follows, checked on the schemas as generated. */
class TopicContractTest {
    private static final Set<String> PII_KINDS = Set.of("card_number", "email", "ip_address", "name", "raw_record");

    @ParameterizedTest
    @EnumSource(TopicContract.class)
    void keepsItsCompatibilityPromiseAgainstEveryReleasedVersion(TopicContract contract) {
        List<String> violations = CompatibilityChecker.checkCurrent(contract).stream()
                .map(CompatibilityViolation::describe).toList();

        assertThat(SchemaHistory.releasedVersions(contract)).as("released versions of %s", contract.subject())
                .isNotEmpty();
        assertThat(violations).as("compatibility of %s", contract.subject()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TopicContract.class)
    void documentsEveryRecordFieldAndEnum(TopicContract contract) {
        List<String> undocumented = findings(contract, (path, schema, field, found) -> {
            if (field != null && (field.doc() == null || field.doc().isBlank())) {
                found.add(path);
            }
            if ((schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM)
                    && (schema.getDoc() == null || schema.getDoc().isBlank())) {
                found.add(schema.getFullName());
            }
        });
        assertThat(undocumented).as("fields and types without doc in %s", contract.topic()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TopicContract.class)
    void usesLogicalTypesForMoneyTimeAndEventIds(TopicContract contract) {
        List<String> wrong = findings(contract, (path, schema, field, found) -> {
            if (field == null) {
                return;
            }
            Schema type = nonNull(field.schema());
            String name = field.name();
            if ((name.startsWith("amount") || name.startsWith("rate_") || name.startsWith("fx_rate_to"))
                    && !(type.getLogicalType() instanceof LogicalTypes.Decimal)) {
                found.add(path + " should be a decimal");
            }
            if ((name.endsWith("_time") || name.endsWith("_at") || name.endsWith("_from") || name.equals("watermark")
                    || name.endsWith("_timestamp")) && !(type.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
                found.add(path + " should be timestamp-millis");
            }
            if ((name.equals("event_id") || name.equals("alert_id")) && !"uuid".equals(logicalName(type))) {
                found.add(path + " should be a uuid");
            }
        });
        assertThat(wrong).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TopicContract.class)
    void marksPersonalDataWithAKnownKind(TopicContract contract) {
        List<String> unknown = findings(contract, (path, schema, field, found) -> {
            if (field != null && field.getObjectProp("pii") != null
                    && !PII_KINDS.contains(field.getObjectProp("pii").toString())) {
                found.add(path + ": " + field.getObjectProp("pii"));
            }
            if (field != null && field.getObjectProp("masked_from") != null
                    && !PII_KINDS.contains(field.getObjectProp("masked_from").toString())) {
                found.add(path + " masked from " + field.getObjectProp("masked_from"));
            }
        });
        assertThat(unknown).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = TopicContract.class, names = {"ENRICHED_TRANSACTIONS", "LATE_TRANSACTIONS", "FRAUD_ALERTS"})
    void outputsReadByOthersHoldNoPersonalDataInClear(TopicContract contract) {
        List<String> clear = findings(contract, (path, schema, field, found) -> {
            if (field != null && field.getObjectProp("pii") != null) {
                found.add(path);
            }
        });
        assertThat(clear).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TopicContract.class)
    void registersTheFormWithoutJavaSpecificProperties(TopicContract contract) {
        assertThat(contract.valueSchema().toString()).doesNotContain("avro.java.string");
        assertThat(contract.subject()).isEqualTo(contract.topic() + "-value");
    }

    @org.junit.jupiter.api.Test
    void onlyTheDeadLetterTopicIsRestricted() {
        assertThat(TopicContract.values()).filteredOn(TopicContract::restricted)
                .containsExactly(TopicContract.DEAD_LETTERS);
        assertThat(TopicContract.forTopic("payments.transactions.v1")).contains(TopicContract.TRANSACTIONS);
        assertThat(TopicContract.forTopic("nope")).isEmpty();
    }

    private interface Visitor {
        void visit(String path, Schema schema, Schema.Field field);
    }

    /** What a test looks for at one place of a schema: a field, or a named type ({@code field} null). */
    private interface Check {
        void visit(String path, Schema schema, Schema.Field field, List<String> found);
    }

    /** What {@code check} finds anywhere in the contract's value schema, visiting each named type once. */
    private static List<String> findings(TopicContract contract, Check check) {
        List<String> found = new ArrayList<>();
        walk("", contract.valueSchema(), null, new HashSet<>(),
                (path, schema, field) -> check.visit(path, schema, field, found));
        return found;
    }

    private static void walk(String path, Schema schema, Schema.Field field, Set<String> seen, Visitor visitor) {
        visitor.visit(path, schema, field);
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    for (Schema.Field f : schema.getFields()) {
                        String p = path.isEmpty() ? f.name() : path + "." + f.name();
                        visitor.visit(p, f.schema(), f);
                        walkType(p, f.schema(), seen, visitor);
                    }
                }
            }
            default -> walkType(path, schema, seen, visitor);
        }
    }

    private static void walkType(String path, Schema schema, Set<String> seen, Visitor visitor) {
        switch (schema.getType()) {
            case RECORD, ENUM -> {
                if (schema.getType() == Schema.Type.ENUM) {
                    visitor.visit(path, schema, null);
                } else if (!seen.contains(schema.getFullName())) {
                    walk(path, schema, null, seen, visitor);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> walkType(path, t, seen, visitor));
            case ARRAY -> walkType(path + "[]", schema.getElementType(), seen, visitor);
            case MAP -> walkType(path + "{}", schema.getValueType(), seen, visitor);
            default -> { }
        }
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(schema);
    }

    private static String logicalName(Schema schema) {
        return schema.getLogicalType() == null ? null : schema.getLogicalType().getName();
    }
}
