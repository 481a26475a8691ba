package io.tributary.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

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
    /** The checkpoint after which the last failure was injected, per name. */
    private static final Map<String, AtomicLong> FAILED_AFTER = new ConcurrentHashMap<>();

    private final String name;
    private final int failures;
    private final int recordsPerPause;
    /** The newest checkpoint completed here since the (re)start; 0 before one did. */
    private transient long lastCompleted;
    private transient long seen;

    public FailureInjector(String name, int failures) {
        this(name, failures, 100);
    }

    /** As {@link #FailureInjector(String, int)}, pausing 10 ms every {@code recordsPerPause} records until the failures are injected. */
    public FailureInjector(String name, int failures, int recordsPerPause) {
        this.name = name;
        this.failures = failures;
        this.recordsPerPause = recordsPerPause;
        INJECTED.put(name, new AtomicInteger());
        FAILED_AFTER.put(name, new AtomicLong());
    }

    /**
     * {@code stream} through an injector of {@code failures} failures counted under {@code name}, as
     * the operator "failure injector" (uid {@code failure-injector}) that the failover ITs add to a job.
     */
    public static <T> DataStream<T> addTo(DataStream<T> stream, Class<T> type, String name, int failures) {
        return addTo(stream, type, new FailureInjector<>(name, failures));
    }

    /**
     * As {@link #addTo(DataStream, Class, String, int)}, pausing 10 ms after every record until the
     * failures are injected: for a small bounded input, which would otherwise be done before the
     * first checkpoint.
     */
    public static <T> DataStream<T> addSlowlyTo(DataStream<T> stream, Class<T> type, String name, int failures) {
        return addTo(stream, type, new FailureInjector<>(name, failures, 1));
    }

    private static <T> DataStream<T> addTo(DataStream<T> stream, Class<T> type, FailureInjector<T> injector) {
        return stream.map(injector, TypeInformation.of(type)).name("failure injector").uid("failure-injector");
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
            // Only after a checkpoint newer than the one the last failure followed: so that each failure
            // restores from a checkpoint of its own, even when several instances (subtasks, pipelines
            // sharing the name, regions restarted apart) are armed at once.
            if (lastCompleted > FAILED_AFTER.get(name).get() && seen > 0 && injected.compareAndSet(done, done + 1)) {
                FAILED_AFTER.get(name).accumulateAndGet(lastCompleted, Math::max);
                throw new IllegalStateException("Injected failure " + (done + 1) + " of " + failures);
            }
            if (++seen % recordsPerPause == 0) {
                Thread.sleep(10);
            }
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        lastCompleted = Math.max(lastCompleted, checkpointId);
    }
}
