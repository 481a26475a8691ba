package io.tributary.testing;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.jobs.fraud.AlertFactory;
import java.time.Instant;
import java.util.List;

/** Alerts as fraud-detection would raise them, for tests of what reads the alert topic. */
public final class TestAlerts {
    private TestAlerts() {}

    /** A high-severity velocity alert of version 1 of {@code rule} on {@code payment}, without evidence. */
    public static FraudAlert alert(EnrichedTransaction payment, String rule, Instant detectedAt) {
        FraudAlert a = new FraudAlert();
        a.setAlertId(AlertFactory.alertId(rule, 1, payment.getTransactionId()));
        a.setRuleId(rule);
        a.setRuleVersion(1);
        a.setRuleType(RuleType.VELOCITY);
        a.setSeverity(Severity.HIGH);
        a.setTransactionId(payment.getTransactionId());
        a.setEventId(payment.getEventId());
        a.setAccountId(payment.getAccountId());
        a.setCardToken(payment.getCardToken());
        a.setEventTime(payment.getEventTime());
        a.setDetectedAt(detectedAt);
        a.setEvidence(List.of());
        return a;
    }
}
