package io.tributary.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Records per second into a topic, from how fast its end offsets grow: the DLQ and late rates
 * without reading a record (the DLQ is access-restricted; its end offsets are not). The rate is over
 * the samples of the last {@code span}, so a refresh every few seconds gives a steady number.
 *
 * <p>An upper bound: the writers are transactional, and each transaction they commit adds a marker
 * that takes an offset in every partition it wrote to, at most one per partition per checkpoint.
 */
public final class TopicGrowth {
    private record Sample(Instant at, long endOffsets) {}

    private final Duration span;
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    public TopicGrowth(Duration span) {
        this.span = span;
    }

    /** Adds the sum of {@code topic}'s end offsets over its partitions, read at {@code at}. */
    public synchronized void record(String topic, Instant at, long endOffsets) {
        Deque<Sample> s = samples.computeIfAbsent(topic, t -> new ArrayDeque<>());
        s.addLast(new Sample(at, endOffsets));
        while (s.size() > 2 && s.peekFirst().at().isBefore(at.minus(span))) {
            s.removeFirst();
        }
    }

    /** Records per second over the recorded span, or null before two samples a moment apart. */
    public synchronized Double perSecond(String topic) {
        Deque<Sample> s = samples.get(topic);
        if (s == null || s.size() < 2) {
            return null;
        }
        long millis = Duration.between(s.peekFirst().at(), s.peekLast().at()).toMillis();
        if (millis <= 0) {
            return null;
        }
        // A topic recreated with fewer records (a test, a reset) must not show a negative rate.
        return Math.max(0, s.peekLast().endOffsets() - s.peekFirst().endOffsets()) * 1000.0 / millis;
    }
}
