package io.tributary.testing;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.jobs.fraud.AlertFactory;
import io.tributary.jobs.fraud.FraudPayment;
import java.time.Instant;
import java.util.List;

/** Alerts as fraud-detection raises them (its own {@link AlertFactory}), for tests of what reads the alert topic. */
public final class TestAlerts {
    private TestAlerts() {}

    /** A high-severity velocity alert of version 1 of {@code rule} on {@code payment}, without evidence. */
    public static FraudAlert alert(EnrichedTransaction payment, String rule, Instant detectedAt) {
        FraudRule velocity = new FraudRule();
        velocity.setRuleId(rule);
        velocity.setVersion(1);
        velocity.setType(RuleType.VELOCITY);
        velocity.setSeverity(Severity.HIGH);
        return AlertFactory.of(velocity, FraudPayment.of(payment), List.of(), detectedAt);
    }
}
