package io.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.Transaction;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CanonicalSchemaTest {
    @Test
    void dropsTheJavaStringPropertyAndKeepsDocsDefaultsAndPii() {
        Schema generated = Transaction.getClassSchema();
        assertThat(generated.toString()).contains("avro.java.string");

        Schema canonical = CanonicalSchema.of(generated);

        assertThat(canonical.toString()).doesNotContain("avro.java.string");
        assertThat(canonical.getField("card_number").getObjectProp("pii")).isEqualTo("card_number");
        assertThat(canonical.getField("email").defaultVal()).isEqualTo(generated.getField("email").defaultVal());
        assertThat(canonical.getDoc()).isEqualTo(generated.getDoc());
    }

    @Test
    void isStableSoThatOneContractHasOneForm() {
        Schema once = CanonicalSchema.of(Transaction.getClassSchema());
        Schema twice = CanonicalSchema.of(once);

        assertThat(twice.toString()).isEqualTo(once.toString());
        assertThat(CanonicalSchema.of(new Schema.Parser().parse(once.toString())).toString())
                .isEqualTo(once.toString());
    }
}
