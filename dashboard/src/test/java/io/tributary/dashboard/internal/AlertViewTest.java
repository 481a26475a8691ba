package io.tributary.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.Evidence;
import io.tributary.events.FraudAlert;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AlertViewTest {
    @Test
    void showsTheRuleAndItsEvidenceButNeitherAccountNorTransaction() {
        FraudAlert alert = FraudAlert.newBuilder()
                .setAlertId(UUID.fromString("6f1c0c8e-0000-4000-8000-000000000001"))
                .setRuleId("burst").setRuleVersion(2).setRuleType(RuleType.VELOCITY).setSeverity(Severity.HIGH)
                .setTransactionId("txn-secret-77").setEventId(UUID.randomUUID()).setAccountId("acct-secret-42")
                .setCardToken("c7e1a90b55d2f31e4b8aa0c6b2d1e99f0a3c").setEventTime(Instant.ofEpochMilli(1_000))
                .setDetectedAt(Instant.ofEpochMilli(7_000))
                .setEvidence(List.of(new Evidence("card.count_1s", 6.0, 5.0, null),
                        new Evidence("travel_speed_kmh", 1234.567, null, "DE -> BR")))
                .build();

        AlertView view = AlertView.of(alert);

        assertThat(view).isEqualTo(new AlertView("6f1c0c8e-0000-4000-8000-000000000001", "burst", 2, "VELOCITY", "HIGH",
                1_000, 7_000, "c7e1a90b55…", "card.count_1s 6 (limit 5), travel_speed_kmh 1234.57 (DE -> BR)"));
        assertThat(view.toString()).doesNotContain("acct-secret-42", "txn-secret-77");
    }
}
