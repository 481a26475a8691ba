package io.tributary.benchmarks.chaos;

import io.tributary.events.FraudRule;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import java.time.Instant;
import java.util.List;

/**
 * The rules fraud-detection runs with under chaos, one of each type, as the local run publishes
 * them: the generator's fraud patterns trip them, so that there are alerts whose ids can be
 * checked for duplicates across restarts.
 */
final class FraudRules {
    private FraudRules() {}

    static List<FraudRule> all() {
        return List.of(
                rule("burst", RuleType.VELOCITY, "Card testing: at least 6 payments of a card within 1 s")
                        .setMinCount(6).setWindowSeconds(1L).build(),
                rule("travel", RuleType.IMPOSSIBLE_TRAVEL, "Two card-present payments faster than a plane")
                        .setMaxSpeedKmh(1000.0).build(),
                rule("newdev", RuleType.NEW_DEVICE_HIGH_AMOUNT, "5,000 dollars or more on a new device")
                        .setMinAmountUsd(5000.0).build());
    }

    private static FraudRule.Builder rule(String id, RuleType type, String description) {
        return FraudRule.newBuilder().setRuleId(id).setVersion(1).setEnabled(true).setType(type)
                .setSeverity(Severity.HIGH).setEffectiveFrom(Instant.EPOCH).setDescription(description);
    }
}
