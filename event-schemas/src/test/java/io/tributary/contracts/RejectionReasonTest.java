package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RejectionReasonTest {
    @Test
    void onlyDeadLettersHoldingAnInputRecordAreReplayable() {
        assertThat(Arrays.stream(RejectionReason.values()).filter(r -> !RejectionReason.replayable(r.name())))
                .containsExactlyInAnyOrder(RejectionReason.STORE_WRONG_TYPE, RejectionReason.STORE_NUMERIC_OVERFLOW,
                        RejectionReason.STORE_INVALID_VALUE);
        assertThat(RejectionReason.replayable("DECODE_UNKNOWN_SCHEMA_ID")).isTrue();
    }
}
