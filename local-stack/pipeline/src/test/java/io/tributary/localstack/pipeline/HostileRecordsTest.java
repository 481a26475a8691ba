package io.tributary.localstack.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.Transaction;
import java.io.IOException;
import java.time.Instant;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

class HostileRecordsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final Transaction valid = new PaymentEventGenerator(new PaymentEventGenerator.Options().seed(3)
            .malformedRate(0).duplicateRate(0)).next().transaction();
    private final HostileRecords hostile = new HostileRecords(11);

    @Test
    void eachKindIsMadeFromACopyAndTheValidEventIsLeftAsItIs() {
        Transaction before = Transaction.newBuilder(valid).build();

        for (TrafficKind kind : HostileRecords.KINDS) {
            GeneratedTransaction made = hostile.from(kind, valid, NOW);
            assertThat(made.kind()).isEqualTo(kind);
            assertThat(made.kind().rejected()).as("%s is rejected", kind).isTrue();
            assertThat(made.transaction()).isNotSameAs(valid);
        }
        assertThat(valid).isEqualTo(before);
    }

    @Test
    void everyRecordButTheConflictGetsAnEventIdOfItsOwn() {
        for (TrafficKind kind : HostileRecords.KINDS) {
            Transaction made = hostile.from(kind, valid, NOW).transaction();
            assertThat(made.getAccountId()).isEqualTo(valid.getAccountId());
            if (kind == TrafficKind.DUPLICATE_CONFLICT) {
                assertThat(made.getEventId()).isEqualTo(valid.getEventId());
                assertThat(made.getAmount()).isNotEqualTo(valid.getAmount());
            } else {
                assertThat(made.getEventId()).as(kind.name()).isNotEqualTo(valid.getEventId());
            }
        }
    }

    @Test
    void theContentKindsBreakTheContractWhereTheySay() {
        assertThat(hostile.from(TrafficKind.INVALID_TOO_LARGE, valid, NOW).transaction().getDeviceId())
                .hasSize(HostileRecords.TOO_LARGE_PADDING);
        assertThat(hostile.from(TrafficKind.INVALID_FUTURE_EVENT_TIME, valid, NOW).transaction().getEventTime())
                .isAfter(NOW.plusSeconds(3600));
        assertThat(hostile.from(TrafficKind.INVALID_LOCATION, valid, NOW).transaction().getLocation().getLatitude())
                .isNaN();
    }

    @Test
    void kindsTheGeneratorMakesAreRefused() {
        assertThatThrownBy(() -> hostile.from(TrafficKind.MALFORMED_TRUNCATED, valid, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MALFORMED_TRUNCATED");
    }

    @Test
    void theHugeStringLengthIsTheHeaderThenOneAvroLengthAndNothingElse() throws IOException {
        byte[] header = {0, 0, 0, 0, 42};

        byte[] pill = HostileRecords.hugeStringLengthAfter(header);

        assertThat(pill).startsWith(header);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(pill, header.length, pill.length - header.length, null);
        assertThat(decoder.readLong()).isEqualTo(HostileRecords.HUGE_STRING_LENGTH);
        assertThat(decoder.isEnd()).isTrue();
    }
}
