package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActivityWindowsTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void aWindowIsTheWholeMinutesEndingWithThePaymentsMinute() {
        ActivityWindows w = new ActivityWindows();
        w.add(10 * MINUTE, 1.0, "DE");
        w.add(10 * MINUTE + 59_999, 2.0, "DE");
        w.add(11 * MINUTE, 4.0, "FR");

        assertThat(w.count(11 * MINUTE, 1)).isEqualTo(1);
        assertThat(w.count(11 * MINUTE, 2)).isEqualTo(3);
        assertThat(w.sumUsd(11 * MINUTE, 2)).isEqualTo(7.0);
        assertThat(w.sumUsd(20 * MINUTE, 10)).isEqualTo(4.0);
        assertThat(w.distinctCountries(11 * MINUTE)).isEqualTo(2);
        assertThat(w.distinctCountries(10 * MINUTE + 59_999 + HOUR)).isEqualTo(1);
    }

    @Test
    void keepsNoMoreThanADay() {
        ActivityWindows w = new ActivityWindows();
        for (long minute = 0; minute < 3 * 24 * 60; minute += 7) {
            w.add(minute * MINUTE, 1.0, "DE");
        }
        assertThat(w.minutes.length).isLessThanOrEqualTo(24 * 60 / 7 + 1);
        assertThat(w.count(3 * 24 * HOUR, 24 * 60)).isEqualTo(w.minutes.length);

        w.prune(4 * 24 * HOUR);
        assertThat(w.isEmpty()).isTrue();
    }
}
