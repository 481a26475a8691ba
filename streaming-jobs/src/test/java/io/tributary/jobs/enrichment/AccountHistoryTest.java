package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.RiskLevel;
import org.junit.jupiter.api.Test;

class AccountHistoryTest {
    private static AccountSnapshot version(long at, RiskLevel tier) {
        return new AccountSnapshot("acc-1", tier, "DE", at);
    }

    @Test
    void findsTheVersionInEffectAtATimeAndTheOldestBeforeAnyVersion() {
        AccountHistory history = new AccountHistory().with(version(2_000, RiskLevel.HIGH)).with(version(1_000, RiskLevel.LOW));

        assertThat(history.asOf(1_999).riskTier).isEqualTo(RiskLevel.LOW);
        assertThat(history.asOf(2_000).riskTier).isEqualTo(RiskLevel.HIGH);
        assertThat(history.asOf(500).riskTier).isEqualTo(RiskLevel.LOW);
        assertThat(new AccountHistory().asOf(500)).isNull();
    }

    @Test
    void replacesAVersionOfTheSameTimeAndKeepsOnlyTheNewest() {
        AccountHistory history = new AccountHistory();
        for (int i = 0; i < 12; i++) {
            history = history.with(version(i * 1_000L, RiskLevel.LOW));
        }
        history = history.with(version(11_000, RiskLevel.HIGH));

        assertThat(history.versions).hasSize(AccountHistory.MAX_VERSIONS);
        assertThat(history.versions[0].updatedAt).isEqualTo(4_000);
        assertThat(history.asOf(20_000).riskTier).isEqualTo(RiskLevel.HIGH);
    }
}
