package io.tributary.jobs.fraud;

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
    public static FraudAlert of(FraudRule rule, FraudPayment payment, List<Evidence> evidence, Instant detectedAt) {
        FraudAlert alert = new FraudAlert();
        alert.setAlertId(alertId(rule.getRuleId(), rule.getVersion(), payment.transactionId()));
        alert.setRuleId(rule.getRuleId());
        alert.setRuleVersion(rule.getVersion());
        alert.setRuleType(rule.getType());
        alert.setSeverity(rule.getSeverity());
        alert.setTransactionId(payment.transactionId());
        alert.setEventId(payment.eventId());
        alert.setAccountId(payment.accountId());
        alert.setCardToken(payment.cardToken());
        alert.setEventTime(Instant.ofEpochMilli(payment.eventTime()));
        alert.setDetectedAt(detectedAt);
        alert.setEvidence(evidence);
        return alert;
    }
}
