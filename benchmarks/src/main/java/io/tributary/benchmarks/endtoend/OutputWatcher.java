package io.tributary.benchmarks.endtoend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.common.IsolationLevel;

/**
 * Reads output topics as a downstream consumer does (read_committed, unless told otherwise) and
 * notes when records arrive: the first and last arrival for throughput, and, given the send time of
 * each event, the latency of each result from its creation to its arrival.
 */
final class OutputWatcher implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong count = new AtomicLong();
    private volatile long firstArrivalNanos;
    private volatile long lastArrivalNanos;
    // (arrival time, results so far) after each poll that returned records: for the steady rate.
    private final List<long[]> progress = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;
    private final long[] latenciesMicros;
    private final AtomicLong latencyCount = new AtomicLong();

    /**
     * @param sendTimes for latency: the send time (System.nanoTime) of each event, by the id that
     *     {@code idOf} reads from an output value; null to measure arrivals only
     */
    OutputWatcher(String bootstrapServers, List<String> topics, Map<Object, Long> sendTimes,
            Function<byte[], Object> idOf, int maxLatencies) {
        this(bootstrapServers, topics, sendTimes, idOf, maxLatencies, IsolationLevel.READ_COMMITTED);
    }

    /** As the other constructor, reading with {@code isolation}. */
    OutputWatcher(String bootstrapServers, List<String> topics, Map<Object, Long> sendTimes,
            Function<byte[], Object> idOf, int maxLatencies, IsolationLevel isolation) {
        this.latenciesMicros = new long[sendTimes == null ? 0 : maxLatencies];
        this.thread = new Thread(() -> {
            try (var consumer = ReadCommittedConsumer.fromEarliest(bootstrapServers, "benchmark-watcher-", isolation)) {
                consumer.subscribe(topics);
                while (!closed) {
                    var records = consumer.poll(Duration.ofMillis(20));
                    if (records.isEmpty()) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (count.get() == 0) {
                        firstArrivalNanos = now;
                    }
                    lastArrivalNanos = now;
                    progress.add(new long[] {now, count.get() + records.count()});
                    for (var record : records) {
                        count.incrementAndGet();
                        Long sent = sendTimes == null ? null : sendTimes.remove(idOf.apply(record.value()));
                        if (sent != null) {
                            long i = latencyCount.getAndIncrement();
                            if (i < latenciesMicros.length) {
                                latenciesMicros[(int) i] = (now - sent) / 1_000;
                            }
                        }
                    }
                }
            }
        }, "benchmark-output-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until {@code expected} records have arrived; false on timeout. */
    boolean await(long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < expected && System.nanoTime() < deadline) {
            sleep(50);
        }
        return count.get() >= expected;
    }

    /**
     * Waits until {@code expected} results with a send time have arrived; false on timeout. Results
     * of the warm-up, still arriving, do not count: a latency run waits for its own.
     */
    boolean awaitTimed(long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (latencyCount.get() < expected && System.nanoTime() < deadline) {
            sleep(50);
        }
        return latencyCount.get() >= expected;
    }

    /**
     * Waits until {@code expected} records have arrived, for a job that does not end by itself: gives
     * up when {@code running} turns false, when nothing arrives for {@code quiet} after a first
     * record, or when no record arrived within {@code startUp}. False unless all arrived.
     */
    boolean awaitWhileArriving(long expected, Duration startUp, Duration quiet, BooleanSupplier running) {
        long started = System.nanoTime();
        while (count.get() < expected && running.getAsBoolean()) {
            long now = System.nanoTime();
            if (count.get() == 0 ? now - started > startUp.toNanos() : now - lastArrivalNanos > quiet.toNanos()) {
                break;
            }
            sleep(50);
        }
        return count.get() >= expected;
    }

    long count() {
        return count.get();
    }

    /** Results whose latency was taken: those with a send time. */
    long timed() {
        return latencyCount.get();
    }

    /** When the first record arrived (System.nanoTime); 0 before. */
    long firstArrivalNanos() {
        return firstArrivalNanos;
    }

    /** When the last record so far arrived (System.nanoTime); 0 before the first. */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Records per second between the first and the last arrival. */
    double throughput() {
        long span = lastArrivalNanos - firstArrivalNanos;
        return span <= 0 ? 0 : count.get() * 1e9 / span;
    }

    /**
     * Records per second over the second half of the results, when the job's code is compiled and
     * its state has settled: the rate a long-running job keeps up.
     */
    double secondHalfThroughput() {
        synchronized (progress) {
            if (progress.size() < 2) {
                return 0;
            }
            long[] last = progress.get(progress.size() - 1);
            for (long[] p : progress) {
                if (p[1] * 2 >= last[1]) {
                    long span = last[0] - p[0];
                    return span <= 0 ? 0 : (last[1] - p[1]) * 1e9 / span;
                }
            }
            return 0;
        }
    }

    /** Latency percentiles in milliseconds: p50, p95, p99, max. */
    double[] latencyPercentilesMillis() {
        int n = (int) Math.min(latencyCount.get(), latenciesMicros.length);
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        long[] sorted = Arrays.copyOf(latenciesMicros, n);
        Arrays.sort(sorted);
        return new double[] {
            sorted[(int) (n * 0.50)] / 1000.0, sorted[Math.min(n - 1, (int) (n * 0.95))] / 1000.0,
            sorted[Math.min(n - 1, (int) (n * 0.99))] / 1000.0, sorted[n - 1] / 1000.0
        };
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(5_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
