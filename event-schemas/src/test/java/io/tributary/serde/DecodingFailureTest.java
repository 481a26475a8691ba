package io.tributary.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecodingFailureTest {
    @Test
    void everyDecodingFailureDeadLettersUnderItsOwnDecodeReason() {
        for (DecodingFailure failure : DecodingFailure.values()) {
            assertThat(failure.reasonCode()).isEqualTo("DECODE_" + failure.name());
            assertThat(failure.description()).isNotBlank();
        }
    }
}
