package io.tributary.cli.local;

import io.tributary.events.RuleType;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.TrafficKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How well the alerts of the local run match the generator's labels. The labels never leave the
 * launcher: the generator hands them over with each record and this class keeps them in memory, so
 * the jobs score payments without them.
 *
 * <p>Each labelled fraud pattern (card testing, impossible travel, amount spike) is made to trip one
 * rule type ({@link #targetOf}). An alert is a true positive when the payment it is about (its
 * {@code event_id}) belongs to a pattern whose targeted rule type is the alert's {@code rule_type};
 * every other alert is a false positive. A pattern is caught when at least one true-positive alert
 * is about one of its payments: a card-testing burst of six payments counts once, however many of
 * them fire. Precision of a pattern's row is over the alerts of its rule type; recall over the
 * patterns of its kind. The overall row counts every alert and every pattern.
 */
final class AlertQuality {
    private static final List<TrafficKind> PATTERNS =
            List.of(TrafficKind.FRAUD_CARD_TESTING, TrafficKind.FRAUD_IMPOSSIBLE_TRAVEL, TrafficKind.FRAUD_AMOUNT_SPIKE);

    /** One pattern's payment: which kind of pattern, and which pattern. */
    private record Label(TrafficKind kind, long pattern) {}

    /** Precision and recall of one row; a share is NaN when nothing was there to count. */
    record Score(long patterns, long caught, long alerts, long onTarget) {
        double recall() {
            return patterns == 0 ? Double.NaN : (double) caught / patterns;
        }

        double precision() {
            return alerts == 0 ? Double.NaN : (double) onTarget / alerts;
        }
    }

    private final Map<UUID, Label> labels = new HashMap<>();
    private final Map<Long, TrafficKind> patterns = new HashMap<>();
    private final List<Map.Entry<UUID, RuleType>> alerts = new ArrayList<>();

    /** The rule type a labelled pattern is made to trip. */
    static RuleType targetOf(TrafficKind pattern) {
        return switch (pattern) {
            case FRAUD_CARD_TESTING -> RuleType.VELOCITY;
            case FRAUD_IMPOSSIBLE_TRAVEL -> RuleType.IMPOSSIBLE_TRAVEL;
            case FRAUD_AMOUNT_SPIKE -> RuleType.NEW_DEVICE_HIGH_AMOUNT;
            default -> throw new IllegalArgumentException(pattern + " is not a fraud pattern");
        };
    }

    /** Remembers the label of a record as it is written; records outside any pattern are not kept. */
    synchronized void written(GeneratedTransaction record) {
        if (record.pattern() != 0) {
            labels.put(record.transaction().getEventId(), new Label(record.kind(), record.pattern()));
            patterns.put(record.pattern(), record.kind());
        }
    }

    /** One alert read from the alerts topic. */
    synchronized void alerted(UUID eventId, RuleType ruleType) {
        alerts.add(Map.entry(eventId, ruleType));
    }

    synchronized long alerts() {
        return alerts.size();
    }

    /** The score of each pattern kind, in {@link #PATTERNS} order. */
    synchronized Map<TrafficKind, Score> byPattern() {
        Map<TrafficKind, Score> scores = new EnumMap<>(TrafficKind.class);
        for (TrafficKind kind : PATTERNS) {
            RuleType target = targetOf(kind);
            Set<Long> caught = new HashSet<>();
            long ofRule = 0;
            long onTarget = 0;
            for (var alert : alerts) {
                if (alert.getValue() != target) {
                    continue;
                }
                ofRule++;
                Label label = labels.get(alert.getKey());
                if (label != null && label.kind() == kind) {
                    onTarget++;
                    caught.add(label.pattern());
                }
            }
            long generated = patterns.values().stream().filter(k -> k == kind).count();
            scores.put(kind, new Score(generated, caught.size(), ofRule, onTarget));
        }
        return scores;
    }

    /** Every pattern and every alert, whatever its rule type. */
    synchronized Score overall() {
        Map<TrafficKind, Score> rows = byPattern();
        long caught = rows.values().stream().mapToLong(Score::caught).sum();
        long onTarget = rows.values().stream().mapToLong(Score::onTarget).sum();
        return new Score(patterns.size(), caught, alerts.size(), onTarget);
    }

    /** The lines the local run prints at its end. */
    List<String> report(long enriched) {
        List<String> lines = new ArrayList<>();
        long alertCount = alerts();
        lines.add(String.format(Locale.ROOT, "Alert rate: %d alerts / %d enriched payments = %s", alertCount, enriched,
                enriched == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f%%", 100.0 * alertCount / enriched)));
        lines.add("Alerts against the generator's labels (true positive: an alert on a payment of a pattern its rule"
                + " type targets; a pattern is caught by one on any of its payments):");
        lines.add(String.format(Locale.ROOT, "  %-18s %-23s %8s %7s %7s | %6s %9s %9s", "pattern", "rule type",
                "patterns", "caught", "recall", "alerts", "on target", "precision"));
        byPattern().forEach((kind, score) -> lines.add(row(describe(kind), targetOf(kind).name(), score)));
        lines.add(row("overall", "any", overall()));
        return lines;
    }

    private static String row(String pattern, String ruleType, Score score) {
        return String.format(Locale.ROOT, "  %-18s %-23s %8d %7d %7s | %6d %9d %9s", pattern, ruleType,
                score.patterns(), score.caught(), percent(score.recall()), score.alerts(), score.onTarget(),
                percent(score.precision()));
    }

    private static String describe(TrafficKind kind) {
        return kind.name().substring("FRAUD_".length()).toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
