package io.tributary.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The alerts the page shows, kept in memory as they are read: the newest few in full, and how many
 * each rule version raised within the window, counted per minute of detection so that minutes
 * leaving the window drop out without keeping every alert. Thread-safe: the alert reader adds while
 * the refresh reads.
 */
public final class AlertBoard {
    /** How many alerts a rule version raised within the window. */
    public record RuleCount(String ruleId, int ruleVersion, long alerts) {}

    /** The alerts part of the page: counts by rule version (most first), and the newest alerts (newest first). */
    public record Alerts(List<RuleCount> byRule, List<AlertView> latest) {}

    private record RuleVersion(String ruleId, int version) {}

    private static final Comparator<AlertView> BY_DETECTION = Comparator.comparingLong(AlertView::detectedAt)
            .thenComparing(AlertView::alertId);

    private final int latestShown;
    private final Duration window;
    /** The newest alerts, the oldest of them at the head, so that it is the one to go. */
    private final PriorityQueue<AlertView> newest = new PriorityQueue<>(BY_DETECTION);
    private final TreeMap<Long, Map<RuleVersion, Long>> countsByMinute = new TreeMap<>();

    public AlertBoard(int latestShown, Duration window) {
        this.latestShown = latestShown;
        this.window = window;
    }

    public synchronized void add(AlertView alert) {
        newest.add(alert);
        if (newest.size() > latestShown) {
            newest.poll();
        }
        long minute = Math.floorDiv(alert.detectedAt(), 60_000L);
        countsByMinute.computeIfAbsent(minute, m -> new HashMap<>())
                .merge(new RuleVersion(alert.ruleId(), alert.ruleVersion()), 1L, Long::sum);
    }

    /** What the page shows at {@code now}: counts of the alerts detected within the window before it. */
    public synchronized Alerts view(Instant now) {
        long firstMinute = Math.floorDiv(MinuteBreakdown.windowStart(now, window).toEpochMilli(), 60_000L);
        countsByMinute.headMap(firstMinute).clear();
        Map<RuleVersion, Long> totals = new HashMap<>();
        countsByMinute.values().forEach(counts -> counts.forEach((rule, n) -> totals.merge(rule, n, Long::sum)));
        List<RuleCount> byRule = totals.entrySet().stream()
                .map(e -> new RuleCount(e.getKey().ruleId(), e.getKey().version(), e.getValue()))
                .sorted(Comparator.comparingLong(RuleCount::alerts).reversed()
                        .thenComparing(RuleCount::ruleId).thenComparingInt(RuleCount::ruleVersion))
                .toList();
        List<AlertView> latest = new ArrayList<>(newest);
        latest.sort(BY_DETECTION.reversed());
        return new Alerts(byRule, latest);
    }
}
