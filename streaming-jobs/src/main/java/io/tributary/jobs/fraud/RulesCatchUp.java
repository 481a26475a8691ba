package io.tributary.jobs.fraud;

import io.tributary.events.FraudRule;
import io.tributary.jobs.common.Decoded;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The rules one subtask of the card stage scores with while its broadcast input catches up with
 * what {@link RulesAtStart} read: per partition of the rules topic, the offset of the last change
 * read that the broadcast has yet to bring. A change the broadcast brings beyond what was read
 * applies here too; once every partition has been brought that far, the broadcast state is at least
 * as new as these rules, and they are dropped.
 */
final class RulesCatchUp {
    private final Map<String, FraudRule> rules;
    private final Map<Integer, Long> until;

    private RulesCatchUp(Map<String, FraudRule> rules, Map<Integer, Long> until) {
        this.rules = rules;
        this.until = until;
    }

    /**
     * What to score with after {@code read}: the {@code restored} broadcast state (empty on a fresh
     * start) with the changes read applied in order; null if the broadcast input has already
     * applied a change at or past the last one read on every partition ({@code applied}, the
     * highest offset per partition as of the restored checkpoint).
     */
    static RulesCatchUp after(RulesAtStart.Read read, Map<String, FraudRule> restored, Map<Integer, Long> applied)
            throws Exception {
        Map<Integer, Long> until = new HashMap<>(read.lastOffsets());
        until.entrySet().removeIf(last -> applied.getOrDefault(last.getKey(), -1L) >= last.getValue());
        if (until.isEmpty()) {
            return null;
        }
        Map<String, FraudRule> rules = new HashMap<>(restored);
        for (Decoded<FraudRule> change : read.changes()) {
            RuleVersions.apply(change, RuleVersions.of(rules));
        }
        return new RulesCatchUp(rules, until);
    }

    Collection<FraudRule> rules() {
        return rules.values();
    }

    /** Per partition, the offset of the last change read that the broadcast input has yet to bring. */
    Map<Integer, Long> until() {
        return Map.copyOf(until);
    }

    /**
     * Follows a change the broadcast input has just applied; true once it has caught up.
     *
     * @throws IllegalStateException if the change does not say where it was read: the rules source
     *     must decode with {@code withOrigin()}, or the catch-up could never be told
     */
    boolean caughtUpWith(Decoded<FraudRule> change) throws Exception {
        if (change.origin == null) {
            throw new IllegalStateException("A rule change reached the card stage without its topic offset, so it"
                    + " cannot tell when its rules input has caught up with the rules read at start: build the rules"
                    + " source's decoder withOrigin()");
        }
        Long last = until.get(change.origin.partition);
        if (last == null || change.origin.offset > last) {
            RuleVersions.apply(change, RuleVersions.of(rules));
        }
        if (last != null && change.origin.offset >= last) {
            until.remove(change.origin.partition);
        }
        return until.isEmpty();
    }
}
