package io.tributary.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A pass-through operator that fails the job a given number of times, each time only after a
 * checkpoint has completed since the (re)start, so that the failure exercises recovery from that
 * checkpoint: a failure before the first checkpoint proves nothing. Until all failures are injected
 * it slows records slightly, so that a bounded job cannot finish first.
 *
 * <p>Counts live in a static map keyed by name: operator instances are re-created at each restart
 * but share this JVM with the test.
 */
public final class FailureInjector<T> implements MapFunction<T, T>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicInteger> INJECTED = new ConcurrentHashMap<>();

    private final String name;
    private final int failures;
    private transient boolean armed;
    private transient long seen;

    public FailureInjector(String name, int failures) {
        this.name = name;
        this.failures = failures;
        INJECTED.put(name, new AtomicInteger());
    }

    /** How many failures were injected so far under {@code name}. */
    public static int injected(String name) {
        return INJECTED.getOrDefault(name, new AtomicInteger()).get();
    }

    @Override
    public T map(T value) throws Exception {
        AtomicInteger injected = INJECTED.get(name);
        int done = injected.get();
        if (done < failures) {
            if (armed && seen > 0 && injected.compareAndSet(done, done + 1)) {
                throw new IllegalStateException("Injected failure " + (done + 1) + " of " + failures);
            }
            if (++seen % 100 == 0) {
                Thread.sleep(10);
            }
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        armed = true;
    }
}
