package io.tributary.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.benchmarks.chaos.AccountFeatures.Payment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountFeaturesTest {
    private static final long T = Instant.parse("2026-12-07T10:30:20Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    /** Account a: five payments over a day and a half hours; b: two at the same millisecond. */
    private static final List<Payment> PAYMENTS = List.of(
            new Payment("a", "e1", T - 25 * 60 * MINUTE, new BigDecimal("1000.00"), "US"), // outside the day
            new Payment("a", "e2", T - 90 * MINUTE, new BigDecimal("40.00"), "FR"),
            new Payment("a", "e3", T - 9 * MINUTE - 20_000, new BigDecimal("2.50"), "DE"),
            new Payment("a", "e4", T - 20_000, null, "FR"), // same minute as the newest; no rate known
            new Payment("a", "e5", T, new BigDecimal("7.25"), "FR"),
            new Payment("b", "e7", T, new BigDecimal("1.00"), "US"),
            new Payment("b", "e6", T, new BigDecimal("2.00"), "JP"),
            new Payment("c", "e8", T, new BigDecimal("3.00"), "US"));

    @Test
    void featuresAreThoseOfTheNewestPaymentOverWholeMinutesEndingWithItsMinute() {
        Map<String, Map<String, Double>> expected = AccountFeatures.expected(PAYMENTS, Set.of("a", "b"));

        assertThat(expected).containsOnlyKeys("a", "b");
        assertThat(expected.get("a")).containsEntry("event_time", (double) T)
                .containsEntry("count_1m", 2.0).containsEntry("sum_usd_1m", 7.25)
                .containsEntry("count_10m", 3.0).containsEntry("sum_usd_10m", 9.75)
                .containsEntry("count_1h", 3.0).containsEntry("count_24h", 4.0).containsEntry("sum_usd_24h", 49.75)
                .containsEntry("distinct_countries_1h", 2.0);
        // Ties at one millisecond: the larger event id is scored last, every payment counted.
        assertThat(expected.get("b")).containsEntry("count_1m", 2.0).containsEntry("sum_usd_1m", 3.0)
                .containsEntry("distinct_countries_1h", 2.0);
    }

    @Test
    void aHashMatchesToTheCentAndAMissingOrDifferentOneIsNamed() {
        Map<String, Map<String, Double>> expected = AccountFeatures.expected(PAYMENTS, Set.of("a", "b"));
        Map<String, Map<String, String>> stored = new HashMap<>();
        stored.put("a", asStored(expected.get("a")));
        stored.get("a").put("sum_usd_24h", "49.749999999");

        assertThat(AccountFeatures.differences(expected, stored)).containsOnlyKeys("b");

        stored.get("a").put("count_1h", "4");
        assertThat(AccountFeatures.differences(expected, stored)).containsEntry("a", "count_1h 4, expected 3.0")
                .containsEntry("b", "event_time null, expected " + (double) T);
    }

    private static Map<String, String> asStored(Map<String, Double> fields) {
        Map<String, String> hash = new HashMap<>();
        fields.forEach((field, value) -> hash.put(field, value == Math.rint(value) ? String.valueOf(value.longValue())
                : String.valueOf(value)));
        return hash;
    }
}
