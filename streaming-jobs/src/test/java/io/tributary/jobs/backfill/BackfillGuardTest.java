package io.tributary.jobs.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.jobs.warehouse.WarehouseTable;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackfillGuardTest {
    private static final BackfillRange RANGE = new BackfillRange(Instant.parse("2026-11-27T10:00:00Z"),
            Instant.parse("2026-11-27T12:00:00Z"));
    private static final Duration LATENESS = Duration.ofMinutes(5);

    @Test
    void runsOnceBothTablesAreCommittedPastTheRangesEndByTheAllowedLateness() {
        String verdict = BackfillGuard.check(RANGE, LATENESS,
                committed(Optional.of(Instant.parse("2026-11-27T12:05:00Z")), Optional.of(Instant.parse("2026-11-27T12:30:00Z"))),
                false);

        assertThat(verdict).isEqualTo("warehouse-sink has committed raw_transactions up to 2026-11-27T12:05:00Z,"
                + " transactions_enriched up to 2026-11-27T12:30:00Z, past 2026-11-27T12:05:00Z (the range's end plus"
                + " the allowed lateness PT5M)");
    }

    @Test
    void refusesWhileEitherTableIsShortOfTheRangesEndPlusTheLatenessNamingTheWatermark() {
        Instant justShort = Instant.parse("2026-11-27T12:04:59.999Z");

        assertThatThrownBy(() -> BackfillGuard.check(RANGE, LATENESS,
                committed(Optional.of(Instant.parse("2026-11-27T13:00:00Z")), Optional.of(justShort)), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Refusing to backfill [2026-11-27T10:00:00Z, 2026-11-27T12:00:00Z): warehouse-sink has"
                        + " committed transactions_enriched up to watermark 2026-11-27T12:04:59.999Z, which has not passed"
                        + " the range's end 2026-11-27T12:00:00Z by the allowed lateness PT5M (it must reach"
                        + " 2026-11-27T12:05:00Z); the stream may still write those hours, try again once it has");
        assertThatThrownBy(() -> BackfillGuard.check(RANGE, LATENESS,
                committed(Optional.of(justShort), Optional.of(Instant.parse("2026-11-27T13:00:00Z"))), false))
                .hasMessageContaining("committed raw_transactions up to watermark 2026-11-27T12:04:59.999Z");
    }

    @Test
    void forcingDoesNotOverrideAWatermarkThatHasNotPassed() {
        assertThatThrownBy(() -> BackfillGuard.check(RANGE, LATENESS,
                committed(Optional.empty(), Optional.of(Instant.parse("2026-11-27T11:00:00Z"))), true))
                .hasMessageContaining("has not passed");
    }

    @Test
    void tablesWithoutAMarkerAreRefusedUnlessForcedAndThenTheVerdictWarns() {
        assertThatThrownBy(() -> BackfillGuard.check(RANGE, LATENESS, committed(Optional.empty(), Optional.empty()), false))
                .hasMessage("Refusing to backfill [2026-11-27T10:00:00Z, 2026-11-27T12:00:00Z): raw_transactions and"
                        + " transactions_enriched record no committed watermark (table property"
                        + " tributary.committed-watermark, which warehouse-sink records since it was upgraded), so whether"
                        + " the stream is done with those hours is unknown; if you know it is, run again with"
                        + " --force-unmarked");

        assertThat(BackfillGuard.check(RANGE, LATENESS, committed(Optional.empty(), Optional.empty()), true))
                .isEqualTo("WARNING: raw_transactions and transactions_enriched record no committed watermark;"
                        + " backfilling [2026-11-27T10:00:00Z, 2026-11-27T12:00:00Z) on the operator's word"
                        + " (--force-unmarked)");
        assertThat(BackfillGuard.check(RANGE, LATENESS,
                committed(Optional.of(Instant.parse("2026-11-27T12:06:00Z")), Optional.empty()), true))
                .startsWith("WARNING: transactions_enriched record no committed watermark;")
                .endsWith("; warehouse-sink has committed raw_transactions up to 2026-11-27T12:06:00Z, past"
                        + " 2026-11-27T12:05:00Z (the range's end plus the allowed lateness PT5M)");
    }

    private static Map<WarehouseTable, Optional<Instant>> committed(Optional<Instant> raw, Optional<Instant> enriched) {
        Map<WarehouseTable, Optional<Instant>> committed = new EnumMap<>(WarehouseTable.class);
        committed.put(WarehouseTable.RAW_TRANSACTIONS, raw);
        committed.put(WarehouseTable.TRANSACTIONS_ENRICHED, enriched);
        return committed;
    }
}
