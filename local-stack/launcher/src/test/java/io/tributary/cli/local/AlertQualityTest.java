package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.RuleType;
import io.tributary.events.Transaction;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.TrafficKind;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AlertQualityTest {
    private final AlertQuality quality = new AlertQuality();

    @Test
    void aPatternIsCaughtOnceHoweverManyOfItsPaymentsFire() {
        List<UUID> burst = pattern(TrafficKind.FRAUD_CARD_TESTING, 1, 6);
        quality.alerted(burst.get(4), RuleType.VELOCITY);
        quality.alerted(burst.get(5), RuleType.VELOCITY);

        assertThat(quality.byPattern().get(TrafficKind.FRAUD_CARD_TESTING))
                .isEqualTo(new AlertQuality.Score(1, 1, 2, 2));
    }

    @Test
    void anAlertOnCleanTrafficOrOfAnotherRuleTypeIsAFalsePositive() {
        List<UUID> travel = pattern(TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL, 1, 2);
        List<UUID> spike = pattern(TrafficKind.FRAUD_AMOUNT_SPIKE, 2, 1);
        UUID clean = written(TrafficKind.VALID, 0);
        quality.alerted(travel.get(1), RuleType.IMPOSSIBLE_TRAVEL);
        // The account's next payment at home, after Tokyo: the rule is right, but it is not the pattern.
        quality.alerted(clean, RuleType.IMPOSSIBLE_TRAVEL);
        // A travel alert on the spike's payment: its rule type does not target that pattern.
        quality.alerted(spike.get(0), RuleType.IMPOSSIBLE_TRAVEL);

        var rows = quality.byPattern();
        assertThat(rows.get(TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL)).isEqualTo(new AlertQuality.Score(1, 1, 3, 1));
        assertThat(rows.get(TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL).precision()).isEqualTo(1.0 / 3);
        assertThat(rows.get(TrafficKind.FRAUD_AMOUNT_SPIKE)).isEqualTo(new AlertQuality.Score(1, 0, 0, 0));
        assertThat(rows.get(TrafficKind.FRAUD_AMOUNT_SPIKE).recall()).isZero();
        assertThat(rows.get(TrafficKind.FRAUD_AMOUNT_SPIKE).precision()).isNaN();
    }

    @Test
    void overallCountsEveryPatternAndEveryAlert() {
        List<UUID> burst = pattern(TrafficKind.FRAUD_CARD_TESTING, 1, 6);
        List<UUID> spike = pattern(TrafficKind.FRAUD_AMOUNT_SPIKE, 2, 1);
        pattern(TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL, 3, 2);
        quality.alerted(burst.get(5), RuleType.VELOCITY);
        quality.alerted(spike.get(0), RuleType.NEW_DEVICE_HIGH_AMOUNT);
        // A rule type no pattern targets still counts against precision.
        quality.alerted(UUID.randomUUID(), RuleType.FEATURE_THRESHOLD);

        assertThat(quality.overall()).isEqualTo(new AlertQuality.Score(3, 2, 3, 2));
        assertThat(quality.overall().recall()).isEqualTo(2.0 / 3);
    }

    @Test
    void reportsTheAlertRateAndOneRowPerPatternAndOverall() {
        List<UUID> spike = pattern(TrafficKind.FRAUD_AMOUNT_SPIKE, 1, 1);
        quality.alerted(spike.get(0), RuleType.NEW_DEVICE_HIGH_AMOUNT);
        quality.alerted(UUID.randomUUID(), RuleType.IMPOSSIBLE_TRAVEL);

        List<String> lines = quality.report(1_000);

        assertThat(lines.get(0)).isEqualTo("Alert rate: 2 alerts / 1000 enriched payments = 0.200%");
        assertThat(lines).anyMatch(l -> l.matches(" +card testing +VELOCITY +0 +0 +n/a \\| +0 +0 +n/a"))
                .anyMatch(l -> l.matches(" +impossible travel +IMPOSSIBLE_TRAVEL +0 +0 +n/a \\| +1 +0 +0\\.0%"))
                .anyMatch(l -> l.matches(" +amount spike +NEW_DEVICE_HIGH_AMOUNT +1 +1 +100\\.0% \\| +1 +1 +100\\.0%"))
                .anyMatch(l -> l.matches(" +overall +any +1 +1 +100\\.0% \\| +2 +1 +50\\.0%"));
        assertThat(quality.report(0).get(0)).endsWith("= n/a");
    }

    @Test
    void onlyFraudPatternsHaveATargetRuleType() {
        assertThat(AlertQuality.targetOf(TrafficKind.FRAUD_CARD_TESTING)).isEqualTo(RuleType.VELOCITY);
        assertThatThrownBy(() -> AlertQuality.targetOf(TrafficKind.DUPLICATE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Writes one pattern of {@code size} payments and returns their event ids. */
    private List<UUID> pattern(TrafficKind kind, long number, int size) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add(written(kind, number));
        }
        return ids;
    }

    private UUID written(TrafficKind kind, long pattern) {
        Transaction payment = new Transaction();
        payment.setEventId(UUID.randomUUID());
        quality.written(new GeneratedTransaction(kind, payment, pattern));
        return payment.getEventId();
    }
}
