package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds alerts, with the id every replay of the same (rule, version, transaction) gets again. */
public final class AlertFactory {
    private AlertFactory() {}

    /** A name-based UUID of rule id, rule version and transaction id. */
    public static UUID alertId(String ruleId, int ruleVersion, String transactionId) {
        return UUID.nameUUIDFromBytes((ruleId + "\u0000" + ruleVersion + "\u0000" + transactionId)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The alert {@code rule} raises on {@code payment}; public for tests of what reads the alert topic. */
    public static FraudAlert of(FraudRule rule, EnrichedTransaction payment, List<Evidence> evidence, Instant detectedAt) {
        FraudAlert alert = new FraudAlert();
        alert.setAlertId(alertId(rule.getRuleId(), rule.getVersion(), payment.getTransactionId()));
        alert.setRuleId(rule.getRuleId());
        alert.setRuleVersion(rule.getVersion());
        alert.setRuleType(rule.getType());
        alert.setSeverity(rule.getSeverity());
        alert.setTransactionId(payment.getTransactionId());
        alert.setEventId(payment.getEventId());
        alert.setAccountId(payment.getAccountId());
        alert.setCardToken(payment.getCardToken());
        alert.setEventTime(payment.getEventTime());
        alert.setDetectedAt(detectedAt);
        alert.setEvidence(evidence);
        return alert;
    }
}
