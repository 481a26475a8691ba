package io.tributary.jobs.enrichment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The last versions of an account's profile, oldest first, to enrich an event with the version in
 * effect at its time. One state value per account, read with a single state access (a map state
 * would need an iterator, a costly seek in RocksDB, on every payment). A Flink POJO.
 */
public class AccountHistory {
    /** Versions kept; older ones are dropped. */
    static final int MAX_VERSIONS = 8;

    /** Oldest first, by {@code updatedAt}; never null. */
    public AccountSnapshot[] versions = new AccountSnapshot[0];

    public AccountHistory() {}

    /** Adds a version, replacing one with the same time, dropping the oldest beyond {@link #MAX_VERSIONS}. */
    public AccountHistory with(AccountSnapshot version) {
        List<AccountSnapshot> next = new ArrayList<>(Arrays.asList(versions));
        next.removeIf(v -> v.updatedAt == version.updatedAt);
        next.add(version);
        next.sort(Comparator.comparingLong(v -> v.updatedAt));
        AccountHistory history = new AccountHistory();
        history.versions = next.subList(Math.max(0, next.size() - MAX_VERSIONS), next.size())
                .toArray(new AccountSnapshot[0]);
        return history;
    }

    /**
     * The version in effect at {@code eventTime}: the latest that took effect at or before it, else
     * the oldest known (the account existed; its earlier state is unknown); null if none.
     */
    public AccountSnapshot asOf(long eventTime) {
        for (int i = versions.length - 1; i >= 0; i--) {
            if (versions[i].updatedAt <= eventTime) {
                return versions[i];
            }
        }
        return versions.length == 0 ? null : versions[0];
    }
}
