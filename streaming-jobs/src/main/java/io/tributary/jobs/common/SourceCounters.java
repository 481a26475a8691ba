package io.tributary.jobs.common;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters of a source: records read, and dead letters by reason ({@code deadLetters} in a
 * {@code reason} group, one counter per reason code, created on first use).
 */
public final class SourceCounters {
    private final MetricGroup group;
    private final Counter read;
    private final Map<String, Counter> deadLetters = new HashMap<>();

    public SourceCounters(MetricGroup group) {
        this.group = group;
        this.read = group.counter("recordsRead");
    }

    public void read() {
        read.inc();
    }

    public void deadLetter(String reason) {
        deadLetters.computeIfAbsent(reason, r -> group.addGroup("reason", r).counter("deadLetters")).inc();
    }
}
