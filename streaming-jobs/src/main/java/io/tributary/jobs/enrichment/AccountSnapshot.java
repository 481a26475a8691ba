package io.tributary.jobs.enrichment;

import io.tributary.events.AccountProfile;
import io.tributary.events.RiskLevel;
import java.util.Objects;

/**
 * One version of an account profile, reduced to what enrichment needs: no name, no e-mail. Built
 * in the source, so the personal data of the profile never leaves it. A Flink POJO.
 */
public class AccountSnapshot {
    public String accountId;
    public RiskLevel riskTier;
    public String homeCountry;
    /** When this version took effect, epoch millis: the as-of key. */
    public long updatedAt;

    public AccountSnapshot() {}

    public AccountSnapshot(String accountId, RiskLevel riskTier, String homeCountry, long updatedAt) {
        this.accountId = accountId;
        this.riskTier = riskTier;
        this.homeCountry = homeCountry;
        this.updatedAt = updatedAt;
    }

    /** The enrichment-relevant part of a profile. */
    public static AccountSnapshot of(AccountProfile profile) {
        return new AccountSnapshot(profile.getAccountId(), profile.getRiskTier(), profile.getHomeCountry(),
                profile.getUpdatedAt().toEpochMilli());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountSnapshot other && updatedAt == other.updatedAt
                && Objects.equals(accountId, other.accountId) && riskTier == other.riskTier
                && Objects.equals(homeCountry, other.homeCountry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accountId, riskTier, homeCountry, updatedAt);
    }

    @Override
    public String toString() {
        return "AccountSnapshot{" + accountId + ", " + riskTier + ", " + homeCountry + ", " + updatedAt + "}";
    }
}
