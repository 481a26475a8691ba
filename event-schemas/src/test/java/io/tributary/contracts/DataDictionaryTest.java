package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class DataDictionaryTest {
    /** Surefire runs in the module folder; the dictionary lives at the repository root. */
    private static final Path COMMITTED = Path.of("..").resolve(DataDictionary.PATH);

    @Test
    void theCommittedDictionaryIsUpToDate() throws IOException {
        String current = DataDictionary.render();
        if (Boolean.getBoolean("tributary.regenerate-dictionary")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, current, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";

        assertThat(committed)
                .as("%s is stale: regenerate it with `./tributary schemas dictionary --output %s`, or with"
                        + " `mvn -pl event-schemas test -Dtest=DataDictionaryTest -Dtributary.regenerate-dictionary=true`,"
                        + " and commit it", DataDictionary.PATH, DataDictionary.PATH)
                .isEqualTo(current);
    }

    @Test
    void coversEveryTopicFieldPiiKindDefaultAndVersion() {
        String dictionary = DataDictionary.render();

        for (TopicContract contract : TopicContract.values()) {
            assertThat(dictionary).contains("## " + contract.topic()).contains("`" + contract.subject() + "`");
        }
        assertThat(dictionary)
                .contains("| `card_number` | string | card_number |")
                .contains("| `location.city` | string, nullable |  | null |")
                .contains("| `amount` | decimal(18,4) |")
                .contains("| `card_token` | string | masked from card_number |")
                .contains("Version history of `payments.transactions.v1-value`")
                .contains("| v1 | first release |")
                .contains("`TransactionStatus`: AUTHORIZED, DECLINED, UNKNOWN")
                .contains("**Access-restricted and short-lived**")
                .contains("`DECODE_WRONG_MAGIC_BYTE`");
    }

    @Test
    void describesWhatChangedBetweenVersions() {
        Schema v1 = new Schema.Parser().parse("""
                {"type": "record", "name": "D", "fields": [
                  {"name": "a", "type": "string"}, {"name": "b", "type": "int"}]}""");
        Schema v2 = new Schema.Parser().parse("""
                {"type": "record", "name": "D", "fields": [
                  {"name": "a", "type": "string"}, {"name": "c", "type": ["null", "string"], "default": null}]}""");

        assertThat(DataDictionary.changes(v1, v2))
                .isEqualTo("added `c` (string, nullable, default null); removed `b`");
    }
}
