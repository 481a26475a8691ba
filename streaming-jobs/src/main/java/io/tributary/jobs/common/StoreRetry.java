package io.tributary.jobs.common;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;

/**
 * How the store writers (Redis, PostgreSQL) retry a flush: with exponential back-off from 100 ms to
 * 10 s while the store fails, counting each retry, until a deadline; then the flush fails with one
 * line naming the store, and the job restarts from its last checkpoint. The writes must be
 * idempotent, as a failed attempt may have been partly applied.
 */
public final class StoreRetry {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(10);

    /** One attempt at writing everything buffered. */
    @FunctionalInterface
    public interface Attempt<E extends Exception> {
        void run() throws E;
    }

    private StoreRetry() {}

    /**
     * How long a store's writes retry: {@code tributary.<store>.max-retry-time}, 5 min by default,
     * the deadline given to {@link #untilDone}. One option per store, as each job writes one.
     *
     * @param store the store's key segment, e.g. {@code redis}
     * @param storeName the store as the description names it, e.g. {@code Redis}
     */
    public static ConfigOption<Duration> maxRetryTime(String store, String storeName) {
        return ConfigOptions.key("tributary." + store + ".max-retry-time")
                .durationType()
                .defaultValue(Duration.ofMinutes(5))
                .withDescription("How long a write keeps retrying an unreachable " + storeName + " (the job waits"
                        + " meanwhile) before the job fails and restarts from its last checkpoint.");
    }

    /**
     * Runs {@code attempt} until it succeeds. After each failure of type {@code failure}, calls
     * {@code afterFailure} (e.g. to drop the connection), then waits.
     *
     * @param what what is being written and where, for the log and the error, e.g. "12 minute rows to PostgreSQL"
     * @throws IOException when {@code maxRetryTime} is spent
     */
    public static <E extends Exception> void untilDone(Attempt<E> attempt, Class<E> failure, Runnable afterFailure,
            Duration maxRetryTime, String what, Counter retries, Logger log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + maxRetryTime.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                attempt.run();
                return;
            } catch (Exception e) {
                if (e instanceof RuntimeException r && !failure.isInstance(e)) {
                    throw r;
                }
                if (!failure.isInstance(e)) {
                    throw new IOException(e);
                }
                afterFailure.run();
                if (System.nanoTime() + backoff.toNanos() > deadline) {
                    throw new IOException("Could not write " + what + " within " + maxRetryTime + ": " + e.getMessage(), e);
                }
                retries.inc();
                log.warn("Writing {} failed ({}); retrying in {} ms", what, e.getMessage(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
