package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.serde.DecodingFailure;
import org.junit.jupiter.api.Test;

class RejectionReasonTest {
    @Test
    void everyDecodingFailureHasItsReason() {
        for (DecodingFailure failure : DecodingFailure.values()) {
            assertThat(RejectionReason.of(failure).name()).isEqualTo(failure.reasonCode());
        }
    }
}
