package io.tributary.jobs.common.store;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What the store sinks (Redis features, PostgreSQL minute rows) share besides {@link StoreRetry}:
 * the password read where the writer runs, so that it is never part of the job graph; a failed
 * connection dropped without a second error; and their builders' checks.
 */
public final class StoreWriters {
    private StoreWriters() {}

    /**
     * The password in {@code variable} of this TaskManager's environment; null when no variable is
     * named (no authentication).
     *
     * @param store the store as the error names it, e.g. {@code Redis}
     * @throws IllegalStateException when the variable is named but not set here
     */
    public static String password(Map<String, String> environment, String variable, String store) {
        if (variable == null) {
            return null;
        }
        String password = environment.get(variable);
        if (password == null) {
            throw new IllegalStateException("The " + store + " password variable " + variable
                    + " is not set in this TaskManager's environment");
        }
        return password;
    }

    /**
     * Closes a connection after a failed write or at the end; null does nothing. A failure to close
     * is logged at debug only: the connection is dropped either way, and the write's own error is
     * the one that matters.
     */
    public static void closeQuietly(AutoCloseable connection, String store, Logger log) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (Exception e) {
            log.debug("Closing a failed {} connection: {}", store, e.getMessage());
        }
    }

    /** A builder's check of how many entries a writer buffers between checkpoints: at least 1. */
    public static int bufferSize(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    /** A builder's check of a time: more than zero. */
    public static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
