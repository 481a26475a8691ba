package io.tributary.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A pass-through operator that sleeps after every record, so that a small bounded input takes long
 * enough for a test to change the world around the running job, and counts how often its subtasks
 * were opened: more than the parallelism means the job restarted. Counts live in a static map
 * keyed by name, as operator instances are re-created at each restart but share the test's JVM.
 */
public final class Throttle<T> extends RichMapFunction<T, T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicInteger> OPENED = new ConcurrentHashMap<>();

    private final String name;
    private final long pauseMillis;

    private Throttle(String name, long pauseMillis) {
        this.name = name;
        this.pauseMillis = pauseMillis;
        OPENED.put(name, new AtomicInteger());
    }

    /** {@code stream} through a throttle of {@code pauseMillis} per record, counted under {@code name}. */
    public static <T> DataStream<T> addTo(DataStream<T> stream, Class<T> type, String name, long pauseMillis) {
        return stream.map(new Throttle<T>(name, pauseMillis), TypeInformation.of(type)).name("throttle").uid("throttle");
    }

    /** How often the subtasks of the throttle named {@code name} were opened so far. */
    public static int opened(String name) {
        return OPENED.getOrDefault(name, new AtomicInteger()).get();
    }

    @Override
    public void open(OpenContext openContext) {
        OPENED.get(name).incrementAndGet();
    }

    @Override
    public T map(T value) throws InterruptedException {
        Thread.sleep(pauseMillis);
        return value;
    }
}
