package io.tributary.jobs.common.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** The classification of store errors, on the replies and SQLSTATEs the real servers send. */
class StoreErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            WRONGTYPE Operation against a key holding the wrong kind of value | WRONG_TYPE
            ERR Error running script (call to f_a14f1a75): @user_script:1: WRONGTYPE Operation against a key holding the wrong kind of value | WRONG_TYPE
            NOPERM this user has no permissions to access one of the keys used as arguments | PERMISSION
            NOPERM this user has no permissions to run the 'script' command or its subcommand | PERMISSION
            ERR Error running script (call to f_1): @user_script:1: @user_script: 1: NOPERM this user has no permissions | PERMISSION
            NOAUTH Authentication required. | AUTHENTICATION
            WRONGPASS invalid username-password pair or user is disabled. | AUTHENTICATION
            LOADING Redis is loading the dataset in memory | TRANSIENT
            BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT. | TRANSIENT
            TRYAGAIN Multiple keys request during rehashing of slot | TRANSIENT
            MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'. | TRANSIENT
            READONLY You can't write against a read only replica. | TRANSIENT
            NOSCRIPT No matching script. Please use EVAL. | TRANSIENT
            OOM command not allowed when used memory > 'maxmemory'. | TRANSIENT
            ERR something unknown | TRANSIENT
            """)
    void redisReplies(String reply, StoreError expected) {
        assertThat(StoreErrors.classify(new JedisDataException(reply))).isEqualTo(expected);
    }

    @Test
    void jedisAccessControlErrorsAndConnectionFailures() {
        assertThat(StoreErrors.classify(new JedisAccessControlException("WRONGPASS invalid username-password pair")))
                .isEqualTo(StoreError.AUTHENTICATION);
        assertThat(StoreErrors.classify(new JedisConnectionException("Failed to connect to 127.0.0.1:6379.",
                new ConnectException("Connection refused")))).isEqualTo(StoreError.TRANSIENT);
        assertThat(StoreErrors.classify(new JedisConnectionException(new IOException("Connection reset"))))
                .isEqualTo(StoreError.TRANSIENT);
    }

    @Test
    void aStoreErrorIsFoundAsTheCauseOfAnotherException() {
        assertThat(StoreErrors.classify(new IOException("flush failed", new JedisDataException(
                "WRONGTYPE Operation against a key holding the wrong kind of value")))).isEqualTo(StoreError.WRONG_TYPE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            22003 | NUMERIC_OVERFLOW
            22001 | INVALID_VALUE
            22P02 | INVALID_VALUE
            23502 | INVALID_VALUE
            23514 | INVALID_VALUE
            28P01 | AUTHENTICATION
            28000 | AUTHENTICATION
            42501 | PERMISSION
            42P01 | MISSING_OBJECT
            42703 | MISSING_OBJECT
            3D000 | MISSING_OBJECT
            3F000 | MISSING_OBJECT
            08001 | TRANSIENT
            08006 | TRANSIENT
            40001 | TRANSIENT
            40P01 | TRANSIENT
            53300 | TRANSIENT
            53100 | TRANSIENT
            57P01 | TRANSIENT
            57014 | TRANSIENT
            XX000 | TRANSIENT
            """)
    void postgresSqlStates(String state, StoreError expected) {
        assertThat(StoreErrors.classify(new SQLException("refused", state))).isEqualTo(expected);
    }

    @Test
    void aBatchFailureIsClassifiedByTheStatementThatFailed() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0]);
        batch.setNextException(new SQLException("numeric field overflow", "22003"));

        assertThat(StoreErrors.classify(batch)).isEqualTo(StoreError.NUMERIC_OVERFLOW);
    }

    @Test
    void anIoFailureWithoutAStateIsTransient() {
        assertThat(StoreErrors.classify(new SQLException("An I/O error occurred while sending to the backend.")))
                .isEqualTo(StoreError.TRANSIENT);
        assertThat(StoreErrors.classify(new IllegalStateException("unexpected"))).isEqualTo(StoreError.TRANSIENT);
    }

    @Test
    void onlyRowErrorsNameADeadLetterReason() {
        for (StoreError error : StoreError.values()) {
            assertThat(error.reason() != null).as(error.name()).isEqualTo(error.scope() == StoreError.Scope.ROW);
        }
    }

    @Test
    void theStoresOwnMessageInOneLineDescribesTheError() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO t VALUES ('5411', 1e16) was"
                + " aborted", "42501", 0, new int[0]);
        batch.setNextException(new SQLException("ERROR: permission denied for table t\n  Detail: more", "42501"));

        assertThat(StoreErrors.describe(batch)).isEqualTo("ERROR: permission denied for table t");
        assertThat(StoreErrors.describe(new IOException("wrapped", new JedisDataException("NOPERM no keys"))))
                .isEqualTo("NOPERM no keys");
        assertThat(StoreErrors.describe(new JedisConnectionException("Failed to connect")))
                .isEqualTo("Failed to connect");
    }
}
