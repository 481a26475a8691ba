package io.tributary.jobs.fraud;

import static io.tributary.jobs.fraud.FraudTestData.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.events.RuleType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RuleSemanticsTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void eachTypeNeedsItsParameters() {
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_10m")
                .setThreshold(500.0).build(), HOUR)).isNull();
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_2m")
                .setThreshold(500.0).build(), HOUR)).startsWith("FEATURE_THRESHOLD needs feature, one of [card.count_1m");
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.count_1m")
                .build(), HOUR)).isEqualTo("FEATURE_THRESHOLD needs a finite threshold");
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.VELOCITY, 0).setMinCount(5).setWindowSeconds(60L)
                .build(), HOUR)).isNull();
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.VELOCITY, 0).setMinCount(5).setWindowSeconds(3601L)
                .build(), HOUR)).isEqualTo("VELOCITY needs window_seconds from 1 to 3600, got 3601");
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.VELOCITY, 0).setWindowSeconds(60L).build(), HOUR))
                .isEqualTo("VELOCITY needs min_count from 1 to 1000, got null");
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.IMPOSSIBLE_TRAVEL, 0).setMaxSpeedKmh(0.0).build(), HOUR))
                .isEqualTo("IMPOSSIBLE_TRAVEL needs a positive max_speed_kmh");
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.NEW_DEVICE_HIGH_AMOUNT, 0).build(), HOUR))
                .isEqualTo("NEW_DEVICE_HIGH_AMOUNT needs a positive min_amount_usd");
        assertThat(RuleSemantics.problem(rule("r", 0, RuleType.IMPOSSIBLE_TRAVEL, 0).setMaxSpeedKmh(900.0).build(), HOUR))
                .isEqualTo("version must be 1 or more, got 0");
        assertThat(RuleSemantics.problem(rule("r", 1, RuleType.UNKNOWN, 0).build(), HOUR)).startsWith("unknown rule type");
    }

    @Test
    void distancesAreGreatCircles() {
        // Paris to New York: about 5,837 km.
        assertThat(RuleSemantics.distanceKm(48.8566, 2.3522, 40.7128, -74.0060)).isCloseTo(5837, within(5.0));
        assertThat(RuleSemantics.distanceKm(10, 20, 10, 20)).isZero();
    }

    @Test
    void paymentsLessThanASecondApartCountAsASecondApart() {
        assertThat(RuleSemantics.speedKmh(1, 0)).isEqualTo(3600);
        assertThat(RuleSemantics.speedKmh(100, 3_600_000)).isEqualTo(100);
    }
}
