package io.tributary.jobs.common.store.internal;

import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Classifies the errors of the store writers' clients (Jedis, the PostgreSQL JDBC driver) into a
 * {@link StoreError}, by the code the server sent: Redis's error prefix, PostgreSQL's SQLSTATE.
 * Anything not known to be permanent is {@link StoreError#TRANSIENT}: it keeps the bounded retry
 * the writers had before, and then fails the job.
 */
public final class StoreErrors {
    /**
     * Redis 6 reports an error inside a script as {@code ERR Error running script (...):
     * @user_script:1: WRONGTYPE ...}; Redis 7 puts the inner code first. The code is the first
     * upper-case word after the last script location, or else the reply's first word.
     */
    private static final Pattern SCRIPT_ERROR = Pattern.compile(".*@user_script:\\s*\\d+:\\s*([A-Z]+)\\b.*", Pattern.DOTALL);
    private static final Pattern FIRST_WORD = Pattern.compile("^([A-Z]+)\\b.*", Pattern.DOTALL);

    private StoreErrors() {}

    /** What {@code failure} means for the write, from the first store error in its cause chain. */
    public static StoreError classify(Throwable failure) {
        Throwable error = storeError(failure);
        if (error instanceof JedisDataException redis) {
            return redis(redis.getMessage());
        }
        if (error instanceof SQLException sql) {
            return postgres(sql.getSQLState());
        }
        return StoreError.TRANSIENT;
    }

    /**
     * What the store said, in one line: the first line of its error's message (a batch's own message
     * quotes the statement and its values; PostgreSQL adds details on further lines).
     */
    public static String describe(Throwable failure) {
        Throwable error = storeError(failure);
        String message = (error == null ? failure : error).getMessage();
        if (message == null) {
            return failure.getClass().getSimpleName();
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end).strip();
    }

    /**
     * The store's own error in {@code failure}'s cause chain: a Redis error reply, or the SQL
     * exception that carries a SQLSTATE (for a batch, the failed statement's, which its
     * {@code BatchUpdateException} may hold only as its next exception); null if none.
     */
    private static Throwable storeError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisDataException) {
                return t;
            }
            if (t instanceof SQLException sql) {
                for (SQLException s = sql.getNextException(); s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null) {
                        return s;
                    }
                }
                if (sql.getSQLState() != null) {
                    return sql;
                }
            }
        }
        return null;
    }

    /** A Redis error reply, e.g. {@code WRONGTYPE Operation against a key holding the wrong kind of value}. */
    static StoreError redis(String reply) {
        return switch (redisCode(reply)) {
            case "WRONGTYPE" -> StoreError.WRONG_TYPE;
            case "NOAUTH", "WRONGPASS" -> StoreError.AUTHENTICATION;
            case "NOPERM" -> StoreError.PERMISSION;
            // LOADING, BUSY, TRYAGAIN, MASTERDOWN, READONLY (a failover), OOM (memory may be freed
            // by expiry), NOSCRIPT (reloaded on reconnect) and anything unknown.
            default -> StoreError.TRANSIENT;
        };
    }

    /** The error code of a Redis error reply: {@code WRONGTYPE}, {@code NOPERM}, ... or "" if it has none. */
    static String redisCode(String reply) {
        if (reply == null) {
            return "";
        }
        Matcher script = SCRIPT_ERROR.matcher(reply);
        if (script.matches()) {
            return script.group(1);
        }
        Matcher first = FIRST_WORD.matcher(reply);
        return first.matches() ? first.group(1) : "";
    }

    /** A PostgreSQL SQLSTATE, e.g. {@code 22003}. */
    static StoreError postgres(String sqlState) {
        String state = sqlState.toUpperCase(Locale.ROOT);
        if (state.equals("22003")) {
            return StoreError.NUMERIC_OVERFLOW;
        }
        if (state.equals("42501")) {
            return StoreError.PERMISSION;
        }
        return switch (state.length() == 5 ? state.substring(0, 2) : "") {
            case "22", "23" -> StoreError.INVALID_VALUE;
            case "28" -> StoreError.AUTHENTICATION;
            case "42", "3D", "3F" -> StoreError.MISSING_OBJECT;
            // 08 connection, 40001 serialization, 40P01 deadlock, 53 resources, 57P01 admin shutdown,
            // 57014 statement timeout, and anything unknown.
            default -> StoreError.TRANSIENT;
        };
    }
}
