package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.registry.CompatibilityLevel;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {
    private static final String SUBJECT = "demo-value";

    private static Schema record(String fields) {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "Demo", "namespace": "io.tributary.test", "fields": [%s]}"""
                .formatted(fields));
    }

    private static final String ID = """
            {"name": "id", "type": "string"}""";
    private static final String CITY = """
            {"name": "location", "type": {"type": "record", "name": "Loc", "fields": [
              {"name": "city", "type": "string"}]}}""";

    @Test
    void aNewFieldWithoutDefaultBreaksBackwardAndNamesTheFieldAndTheRule() {
        Schema v1 = record(ID);
        Schema candidate = record(ID + ", {\"name\": \"segment\", \"type\": \"string\"}");

        List<CompatibilityViolation> violations =
                CompatibilityChecker.check(SUBJECT, CompatibilityLevel.BACKWARD, candidate, List.of(v1));

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("segment");
            assertThat(v.type()).isEqualTo(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
            assertThat(v.releasedVersion()).isEqualTo(1);
            assertThat(v.describe())
                    .contains("demo-value breaks BACKWARD against v1")
                    .contains("field 'segment'")
                    .contains("no default")
                    .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        });
    }

    @Test
    void aNewFieldWithDefaultKeepsBackward() {
        Schema candidate = record(ID + ", {\"name\": \"segment\", \"type\": [\"null\", \"string\"], \"default\": null}");

        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.BACKWARD, candidate, List.of(record(ID))))
                .isEmpty();
    }

    @Test
    void transitiveLevelsCheckEveryReleasedVersionNotOnlyTheLatest() {
        Schema v1 = record(ID);
        Schema v2 = record(ID + ", {\"name\": \"segment\", \"type\": \"string\", \"default\": \"retail\"}");
        // Dropping the default is fine against v2, which always wrote the field, but not against v1.
        Schema candidate = record(ID + ", {\"name\": \"segment\", \"type\": \"string\"}");

        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.BACKWARD, candidate, List.of(v1, v2)))
                .isEmpty();
        assertThat(CompatibilityChecker.check(
                        SUBJECT, CompatibilityLevel.BACKWARD_TRANSITIVE, candidate, List.of(v1, v2)))
                .singleElement()
                .satisfies(v -> assertThat(v.releasedVersion()).isEqualTo(1));
    }

    @Test
    void removingARequiredFieldBreaksForwardButNotBackward() {
        Schema v1 = record(ID + ", {\"name\": \"amount\", \"type\": \"long\"}");
        Schema candidate = record(ID);

        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.BACKWARD, candidate, List.of(v1))).isEmpty();
        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.FORWARD, candidate, List.of(v1)))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.direction()).isEqualTo("FORWARD");
                    assertThat(v.field()).isEqualTo("amount");
                    assertThat(v.describe()).contains("v1 cannot read data written with the new schema");
                });
        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.FULL, candidate, List.of(v1))).hasSize(1);
    }

    @Test
    void namesTheNestedFieldWhoseTypeChanged() {
        Schema v1 = record(ID + ", " + CITY);
        Schema candidate = record(ID + ", " + CITY.replace("\"string\"", "\"int\""));

        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.BACKWARD, candidate, List.of(v1)))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("location.city");
                    assertThat(v.type()).isEqualTo(SchemaIncompatibilityType.TYPE_MISMATCH);
                });
    }

    @Test
    void noneAndAFirstVersionAcceptAnything() {
        Schema candidate = record(ID + ", {\"name\": \"segment\", \"type\": \"string\"}");

        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.NONE, candidate, List.of(record(ID))))
                .isEmpty();
        assertThat(CompatibilityChecker.check(SUBJECT, CompatibilityLevel.FULL_TRANSITIVE, candidate, List.of()))
                .isEmpty();
    }

    @Test
    void aBreakingChangeToARealContractIsCaughtAgainstItsHistory() {
        TopicContract contract = TopicContract.TRANSACTIONS;
        String json = contract.valueSchema().toString();
        Schema candidate = new Schema.Parser().parse(json.replaceFirst(
                "\"fields\":\\[", "\"fields\":[{\"name\":\"risk_score\",\"type\":\"double\",\"doc\":\"new\"},"));

        List<CompatibilityViolation> violations = CompatibilityChecker.check(contract.subject(),
                contract.compatibility(), candidate, SchemaHistory.releasedVersions(contract));

        assertThat(violations).extracting(CompatibilityViolation::field).containsExactly("risk_score");
    }
}
