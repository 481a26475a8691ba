package io.tributary.jobs.enrichment;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.common.Origin;

/**
 * Everything that happens to an account, on the one keyed stream of the enrichment job: a payment,
 * a new version of its profile, or a request to forget it. Exactly one of the three is set. A Flink
 * POJO.
 */
public class AccountEvent {
    public String accountId;
    public MaskedTransaction transaction;
    /** Where the payment was read; null when it was not read from Kafka (the backfill). */
    public Origin origin;
    public AccountSnapshot profile;
    /** The profile topic carried a tombstone: the customer asked to be forgotten. */
    public boolean forgotten;

    public AccountEvent() {}

    public static AccountEvent payment(MaskedTransaction transaction, Origin origin) {
        AccountEvent event = new AccountEvent();
        event.accountId = transaction.getAccountId();
        event.transaction = transaction;
        event.origin = origin;
        return event;
    }

    public static AccountEvent profile(AccountSnapshot profile) {
        AccountEvent event = new AccountEvent();
        event.accountId = profile.accountId;
        event.profile = profile;
        return event;
    }

    public static AccountEvent forget(String accountId) {
        AccountEvent event = new AccountEvent();
        event.accountId = accountId;
        event.forgotten = true;
        return event;
    }

    public String getAccountId() {
        return accountId;
    }
}
