package io.tributary.jobs.fraud;

import io.tributary.events.FraudRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The known versions of every rule, to find the one in effect at a payment's event time: the
 * version with the latest {@code effective_from} at or before it (the higher version on a tie).
 * Built from the broadcast state; not itself state.
 */
final class RuleBook {
    private static final Comparator<FraudRule> BY_EFFECT =
            Comparator.comparing(FraudRule::getEffectiveFrom).thenComparingInt(FraudRule::getVersion);

    private final Map<String, List<FraudRule>> versionsById = new TreeMap<>();

    RuleBook(Iterable<FraudRule> versions) {
        for (FraudRule rule : versions) {
            versionsById.computeIfAbsent(rule.getRuleId(), id -> new ArrayList<>()).add(rule);
        }
        versionsById.values().forEach(list -> list.sort(BY_EFFECT));
    }

    /** For each rule, the version in effect at {@code eventTime} if it is enabled; rules in id order. */
    List<FraudRule> inEffect(long eventTime) {
        List<FraudRule> rules = new ArrayList<>();
        for (List<FraudRule> versions : versionsById.values()) {
            FraudRule current = null;
            for (FraudRule version : versions) {
                if (version.getEffectiveFrom().toEpochMilli() <= eventTime) {
                    current = version;
                }
            }
            if (current != null && current.getEnabled()) {
                rules.add(current);
            }
        }
        return rules;
    }

    /** The state key of a rule version. */
    static String key(String ruleId, int version) {
        return ruleId + "#" + String.format("%010d", version);
    }
}
