package io.tributary.jobs.common.store;

import io.tributary.jobs.common.store.internal.StoreError;
import io.tributary.jobs.common.store.internal.StoreErrors;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;

/**
 * How the store writers (Redis, PostgreSQL) retry a flush. Each failure is classified
 * ({@link StoreErrors}): a transient one (the store down, slow, busy) is retried with exponential
 * back-off from 100 ms to 10 s, counting each retry, until a deadline, after which the flush fails
 * and the job restarts from its last checkpoint; one that says the job's configuration or the
 * store's does not let it write (credentials, permissions, a missing table) fails the flush at once
 * with one line naming the store, the cause and what to fix, since no retry could succeed. Errors of
 * single rows are the writers' to set aside ({@link RejectedRow}) within an attempt. The writes must
 * be idempotent, as a failed attempt may have been partly applied.
 */
public final class StoreRetry {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(10);

    /** One attempt at writing everything buffered. */
    @FunctionalInterface
    public interface Attempt<E extends Exception> {
        void run() throws E;
    }

    private final String store;
    private final Duration maxRetryTime;
    private final Function<StoreError, String> remedy;
    private final Counter retries;
    private final Logger log;

    /**
     * How long a store's writes retry a transient error: {@code tributary.<store>.max-retry-time},
     * 5 min by default. One option per store, as each job writes one.
     *
     * @param store the store's key segment, e.g. {@code redis}
     * @param storeName the store as the description names it, e.g. {@code Redis}
     */
    public static ConfigOption<Duration> maxRetryTime(String store, String storeName) {
        return ConfigOptions.key("tributary." + store + ".max-retry-time")
                .durationType()
                .defaultValue(Duration.ofMinutes(5))
                .withDescription("How long a write keeps retrying an unreachable " + storeName + " (the job waits"
                        + " meanwhile) before the job fails and restarts from its last checkpoint. Errors that no"
                        + " retry can fix are not retried.");
    }

    /**
     * @param store the store, for the log and the errors, e.g. "Redis at host:6379"
     * @param remedy what an operator must fix for a configuration error, in one sentence
     */
    public StoreRetry(String store, Duration maxRetryTime, Function<StoreError, String> remedy, Counter retries,
            Logger log) {
        this.store = store;
        this.maxRetryTime = maxRetryTime;
        this.remedy = remedy;
        this.retries = retries;
        this.log = log;
    }

    /**
     * Runs {@code attempt} until it succeeds. After each failure of type {@code failure}, calls
     * {@code afterFailure} (e.g. to drop the connection), then waits if the failure is transient.
     *
     * @param what what is being written, for the log and the error, e.g. "12 minute rows"
     * @throws IOException when {@code maxRetryTime} is spent, or at once for an error that no retry can fix
     */
    public <E extends Exception> void untilDone(Attempt<E> attempt, Class<E> failure, Runnable afterFailure, String what)
            throws IOException, InterruptedException {
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
                StoreError error = StoreErrors.classify(e);
                if (error.scope() != StoreError.Scope.TRANSIENT) {
                    throw new IOException(store + " refused " + what + ": " + StoreErrors.describe(e) + ". "
                            + remedy.apply(error) + " Not retried: no retry can succeed until then.", e);
                }
                if (System.nanoTime() + backoff.toNanos() > deadline) {
                    throw new IOException("Could not write " + what + " to " + store + " within " + maxRetryTime + ": "
                            + e.getMessage(), e);
                }
                retries.inc();
                log.warn("Writing {} to {} failed ({}); retrying in {} ms", what, store, e.getMessage(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
