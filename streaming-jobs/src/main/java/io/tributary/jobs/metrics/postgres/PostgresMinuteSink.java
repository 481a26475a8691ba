package io.tributary.jobs.metrics.postgres;

import io.tributary.jobs.common.store.StoreWriters;
import io.tributary.jobs.common.store.RejectedRow;
import io.tributary.jobs.common.store.StoreSink;
import io.tributary.jobs.common.store.StoreWriter;
import io.tributary.jobs.metrics.MinuteRow;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.flink.metrics.MetricGroup;

/**
 * Upserts minute rows into {@code live_metrics_minute}, keyed by (window start, merchant category,
 * country), so that a replay rewrites the same rows. Rows are buffered, newest per key, and written
 * in one transaction when Flink flushes the sink before each checkpoint. A row's totals only grow,
 * so an upsert never replaces a row with smaller totals: during a replay after a failure, a reader
 * never sees a minute go back. If PostgreSQL cannot be reached, the flush backs off and retries for
 * up to {@code maxRetryTime}, then fails the job, which restarts from its last checkpoint. If it
 * refuses the job's user or lacks the table (SQLSTATE classes 28 and 42), the flush fails at once
 * with what to fix. A row it refuses for its values (class 22, e.g. 22003 numeric overflow, or a
 * constraint, class 23) becomes a dead letter and the other rows are written.
 *
 * <p>The password is read from an environment variable where the writer runs. Build one with
 * {@link #builder()}.
 */
public final class PostgresMinuteSink implements StoreSink<MinuteRow> {
    private static final long serialVersionUID = 1L;

    /** Where and how to write; serializable, travels with the sink. */
    record Options(String jdbcUrl, String user, String passwordVariable, int maxBufferedRows, Duration maxRetryTime)
            implements Serializable {}

    private final Options options;

    private PostgresMinuteSink(Options options) {
        this.options = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public StoreWriter<MinuteRow> createWriter(MetricGroup metrics, Consumer<RejectedRow> rejected) {
        return new PostgresMinuteWriter(options, System.getenv(), metrics, rejected);
    }

    /** Options of a {@link PostgresMinuteSink}, each checked when set. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String passwordVariable;
        private int maxBufferedRows = 5_000;
        private Duration maxRetryTime = Duration.ofMinutes(5);

        private Builder() {}

        /** The database, {@code jdbc:postgresql://host:port/database}; required. */
        public Builder jdbcUrl(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("PostgreSQL URL must start with jdbc:postgresql://, got " + jdbcUrl);
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** The user, and the environment variable of its password (null for none). */
        public Builder credentials(String user, String passwordVariable) {
            this.user = Objects.requireNonNull(user, "user");
            this.passwordVariable = passwordVariable;
            return this;
        }

        /** Rows buffered before a write between checkpoints (default 5,000). */
        public Builder maxBufferedRows(int maxBufferedRows) {
            this.maxBufferedRows = StoreWriters.bufferSize("maxBufferedRows", maxBufferedRows);
            return this;
        }

        /** How long a write keeps retrying before it fails the job (default 5 min). */
        public Builder maxRetryTime(Duration maxRetryTime) {
            this.maxRetryTime = StoreWriters.positive("maxRetryTime", maxRetryTime);
            return this;
        }

        public PostgresMinuteSink build() {
            if (jdbcUrl == null || user == null) {
                throw new IllegalStateException("The PostgreSQL URL and user are required");
            }
            return new PostgresMinuteSink(new Options(jdbcUrl, user, passwordVariable, maxBufferedRows, maxRetryTime));
        }
    }
}
