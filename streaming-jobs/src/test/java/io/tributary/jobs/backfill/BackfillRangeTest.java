package io.tributary.jobs.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackfillRangeTest {
    private static final Instant NOW = Instant.parse("2026-11-27T18:20:00Z");

    @Test
    void aRangeIsWidenedToTheWholeHoursItTouches() {
        BackfillRange range = BackfillRange.covering(Instant.parse("2026-11-27T10:15:00Z"),
                Instant.parse("2026-11-27T12:00:01Z"), NOW);

        assertThat(range.from()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(range.to()).isEqualTo(Instant.parse("2026-11-27T13:00:00Z"));
    }

    @Test
    void aRangeOnHourBoundariesStaysAsItIs() {
        BackfillRange range = BackfillRange.covering(Instant.parse("2026-11-27T10:00:00Z"),
                Instant.parse("2026-11-27T18:00:00Z"), NOW);

        assertThat(range).isEqualTo(new BackfillRange(Instant.parse("2026-11-27T10:00:00Z"),
                Instant.parse("2026-11-27T18:00:00Z")));
    }

    @Test
    void anEmptyOrReversedRangeIsRefused() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");

        assertThatThrownBy(() -> BackfillRange.covering(t, t, NOW)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> BackfillRange.covering(t.plusSeconds(60), t, NOW)).hasMessageContaining("is empty");
    }

    @Test
    void aRangeEndingInTheFutureOrInTheHourStillRunningIsRefused() {
        Instant from = Instant.parse("2026-11-27T10:00:00Z");

        assertThatThrownBy(() -> BackfillRange.covering(from, NOW.plusSeconds(1), NOW))
                .hasMessageContaining("ends in the future");
        assertThatThrownBy(() -> BackfillRange.covering(from, Instant.parse("2026-11-27T18:10:00Z"), NOW))
                .hasMessageContaining("not over").hasMessageContaining("2026-11-27T18:00:00Z or earlier");
    }
}
