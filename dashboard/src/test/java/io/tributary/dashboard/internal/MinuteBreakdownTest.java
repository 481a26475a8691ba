package io.tributary.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MinuteBreakdownTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void seriesHaveAValuePerMinuteAndTheTableTheLatestMinuteBusiestFirst() {
        List<MinuteRow> rows = List.of(
                row(0, "5411", "DE", 10, "100.0000", 1, 0),
                row(0, "5812", "FR", 4, "40.5000", 0, 1),
                row(1, "5411", "FR", 3, "12.3450", 2, 0),
                row(1, "5812", "FR", 7, "70.0049", 1, 2));

        MinuteBreakdown.Business b = MinuteBreakdown.of(rows);

        assertThat(b.minutes()).containsExactly(T0.toEpochMilli(), T0.plusSeconds(60).toEpochMilli());
        assertThat(b.latestMinute()).isEqualTo(T0.plusSeconds(60).toEpochMilli());
        assertThat(b.byCategory()).extracting(MinuteBreakdown.Series::name).containsExactly("5411", "5812");
        assertThat(b.byCategory().get(0).payments()).containsExactly(10, 3);
        assertThat(b.byCategory().get(1).declines()).containsExactly(0, 1);
        assertThat(b.byCountry()).extracting(MinuteBreakdown.Series::name).containsExactly("FR", "DE");
        assertThat(b.byCountry().get(0).amountUsd()).containsExactly(40.5, 82.3499);
        assertThat(b.latest()).containsExactly(
                new MinuteBreakdown.TableRow("5812", "FR", 7, 1, "70.00", 2),
                new MinuteBreakdown.TableRow("5411", "FR", 3, 2, "12.35", 0));
    }

    @Test
    void beyondEightMembersTheQuietestAreSummedAsOther() {
        List<MinuteRow> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row(0, "c" + i, "DE", 100 - i, "1.0000", 0, 0));
        }

        List<MinuteBreakdown.Series> series = MinuteBreakdown.of(rows).byCategory();

        assertThat(series).hasSize(MinuteBreakdown.MAX_SERIES);
        assertThat(series.get(series.size() - 1).name()).isEqualTo(MinuteBreakdown.OTHER);
        // c7, c8 and c9 together.
        assertThat(series.get(series.size() - 1).payments()).containsExactly(93 + 92 + 91);
        assertThat(MinuteBreakdown.of(rows).latest()).hasSize(10);
    }

    @Test
    void noRowsIsAnEmptyPageNotAnError() {
        MinuteBreakdown.Business b = MinuteBreakdown.of(List.of());

        assertThat(b.minutes()).isEmpty();
        assertThat(b.latestMinute()).isNull();
        assertThat(b.latest()).isEmpty();
    }

    @Test
    void centsRoundHalfUpAsPostgresRoundDoes() {
        assertThat(MinuteBreakdown.cents(new BigDecimal("0.0050"))).isEqualTo("0.01");
        assertThat(MinuteBreakdown.cents(new BigDecimal("1234567.8949"))).isEqualTo("1234567.89");
    }

    @Test
    void theWindowStartsOnAWholeMinute() {
        assertThat(MinuteBreakdown.windowStart(Instant.parse("2026-03-01T10:30:42Z"), Duration.ofMinutes(60)))
                .isEqualTo(Instant.parse("2026-03-01T09:30:00Z"));
    }

    private static MinuteRow row(int minute, String category, String country, long payments, String usd, long declines,
            long alerts) {
        return new MinuteRow(T0.plusSeconds(60L * minute), category, country, payments, new BigDecimal(usd), declines,
                alerts);
    }
}
