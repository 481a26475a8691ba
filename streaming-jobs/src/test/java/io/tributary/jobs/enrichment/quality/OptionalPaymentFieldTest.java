package io.tributary.jobs.enrichment.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.Transaction;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class OptionalPaymentFieldTest {

    @Test
    void listsExactlyTheOptionalFieldsOfThePaymentsContract() {
        var optional = Transaction.getClassSchema().getFields().stream()
                .filter(f -> f.schema().isUnion() && f.schema().getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL))
                .map(Schema.Field::name)
                .toList();
        assertThat(Arrays.stream(OptionalPaymentField.values()).map(OptionalPaymentField::contractName))
                .containsExactlyInAnyOrderElementsOf(optional);
    }
}
