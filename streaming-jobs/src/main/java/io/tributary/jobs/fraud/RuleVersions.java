package io.tributary.jobs.fraud;

import io.tributary.events.FraudRule;
import io.tributary.jobs.common.Decoded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;

/**
 * What a change on the rules topic does to the rule versions kept, by {@link RuleBook#key}: a
 * version is added unless it is known or older than one known (at most {@link #VERSIONS_KEPT} per
 * rule are kept); a tombstone, keyed by the rule id, removes every version of the rule. Written once
 * for the broadcast state and for the rules {@link RulesAtStart} reads.
 */
final class RuleVersions {
    static final int VERSIONS_KEPT = 16;

    /** What a change did. */
    enum Outcome {
        ADDED, ALREADY_KNOWN, STALE, DELETED, NOTHING_TO_DELETE
    }

    /** Where versions are kept: the broadcast state, or a map. */
    interface Store {
        Iterable<Map.Entry<String, FraudRule>> entries() throws Exception;

        boolean contains(String key) throws Exception;

        void put(String key, FraudRule rule) throws Exception;

        void remove(String key) throws Exception;
    }

    private RuleVersions() {}

    static Outcome apply(Decoded<FraudRule> change, Store store) throws Exception {
        if (change.isTombstone()) {
            List<String> versions = versionsOf(change.key, store);
            for (String version : versions) {
                store.remove(version);
            }
            return versions.isEmpty() ? Outcome.NOTHING_TO_DELETE : Outcome.DELETED;
        }
        FraudRule rule = change.value;
        String key = RuleBook.key(rule.getRuleId(), rule.getVersion());
        if (store.contains(key)) {
            return Outcome.ALREADY_KNOWN; // the same version again, e.g. the compacted topic read anew
        }
        List<String> versions = versionsOf(rule.getRuleId(), store);
        if (!versions.isEmpty() && versions.get(versions.size() - 1).compareTo(key) > 0) {
            return Outcome.STALE;
        }
        store.put(key, rule);
        for (int i = 0; i <= versions.size() - VERSIONS_KEPT; i++) {
            store.remove(versions.get(i));
        }
        return Outcome.ADDED;
    }

    /** The keys of a rule's versions, oldest first. */
    private static List<String> versionsOf(String ruleId, Store store) throws Exception {
        List<String> versions = new ArrayList<>();
        for (Map.Entry<String, FraudRule> entry : store.entries()) {
            if (entry.getValue().getRuleId().equals(ruleId)) {
                versions.add(entry.getKey());
            }
        }
        versions.sort(null);
        return versions;
    }

    static Store of(BroadcastState<String, FraudRule> state) {
        return new Store() {
            @Override
            public Iterable<Map.Entry<String, FraudRule>> entries() throws Exception {
                return state.entries();
            }

            @Override
            public boolean contains(String key) throws Exception {
                return state.contains(key);
            }

            @Override
            public void put(String key, FraudRule rule) throws Exception {
                state.put(key, rule);
            }

            @Override
            public void remove(String key) throws Exception {
                state.remove(key);
            }
        };
    }

    /** A store in {@code versions}, e.g. a {@link HashMap}. */
    static Store of(Map<String, FraudRule> versions) {
        return new Store() {
            @Override
            public Iterable<Map.Entry<String, FraudRule>> entries() {
                return versions.entrySet(); // apply() collects keys before it removes any
            }

            @Override
            public boolean contains(String key) {
                return versions.containsKey(key);
            }

            @Override
            public void put(String key, FraudRule rule) {
                versions.put(key, rule);
            }

            @Override
            public void remove(String key) {
                versions.remove(key);
            }
        };
    }
}
