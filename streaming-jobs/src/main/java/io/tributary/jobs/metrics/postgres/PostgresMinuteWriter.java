package io.tributary.jobs.metrics.postgres;

import io.tributary.jobs.common.store.StoreWriters;
import io.tributary.jobs.common.store.JsonRow;
import io.tributary.jobs.common.store.RejectedRow;
import io.tributary.jobs.common.store.StoreRetry;
import io.tributary.jobs.common.store.StoreWriter;
import io.tributary.jobs.common.store.internal.StoreError;
import io.tributary.jobs.common.store.internal.StoreErrors;
import io.tributary.jobs.metrics.MinuteRow;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of {@link PostgresMinuteSink}: newest row per key, one transaction per flush, in one
 * batch. When PostgreSQL refuses a row for its values (SQLSTATE classes 22 and 23), the batch fails
 * as a whole and does not say which row it was: the attempt then writes the rows one by one in the
 * same transaction, each under a savepoint, sets aside those refused and commits the others.
 */
final class PostgresMinuteWriter implements StoreWriter<MinuteRow> {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMinuteWriter.class);

    /** Totals only grow: a row with smaller ones (from a replay) never replaces a written one. */
    static final String UPSERT = """
            INSERT INTO live_metrics_minute
                (window_start, merchant_category, country, payments, amount_usd, declines, alerts, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (window_start, merchant_category, country) DO UPDATE SET
                payments = EXCLUDED.payments, amount_usd = EXCLUDED.amount_usd, declines = EXCLUDED.declines,
                alerts = EXCLUDED.alerts, updated_at = now()
            WHERE live_metrics_minute.payments <= EXCLUDED.payments
              AND live_metrics_minute.alerts <= EXCLUDED.alerts
            """;

    private final PostgresMinuteSink.Options options;
    private final Properties connectionProperties = new Properties();
    private final Map<String, MinuteRow> buffer = new LinkedHashMap<>();
    private final Consumer<RejectedRow> rejected;
    private final StoreRetry retry;
    private final Counter rowsWritten;
    /** The rows PostgreSQL refused in the current attempt: rejected once the attempt has committed. */
    private final List<RejectedRow> refusedInAttempt = new ArrayList<>();
    private Connection connection;

    PostgresMinuteWriter(PostgresMinuteSink.Options options, Map<String, String> environment, MetricGroup metrics,
            Consumer<RejectedRow> rejected) {
        this.options = options;
        this.rejected = rejected;
        connectionProperties.setProperty("user", options.user());
        String password = StoreWriters.password(environment, options.passwordVariable(), "PostgreSQL");
        if (password != null) {
            connectionProperties.setProperty("password", password);
        }
        // Flat names (no subgroup), as the deploy checks read them from the code.
        this.rowsWritten = metrics.counter("postgresRowsWritten");
        this.retry = new StoreRetry("PostgreSQL at " + options.jdbcUrl(), options.maxRetryTime(), this::remedy,
                metrics.counter("postgresRetries"), LOG);
    }

    /** What to fix when PostgreSQL refuses every write. */
    private String remedy(StoreError error) {
        return switch (error) {
            case AUTHENTICATION -> "Check tributary.postgres.user (" + options.user() + ") and the password in"
                    + " environment variable " + options.passwordVariable() + " against the database's roles.";
            case PERMISSION -> "Grant user " + options.user() + " SELECT, INSERT and UPDATE on table "
                    + MetricsSchema.MINUTE_TABLE + ".";
            case MISSING_OBJECT -> "Check that tributary.postgres.url names the dashboards' database and that its"
                    + " schema is migrated: tributary run live-metrics migrates it before the job starts.";
            default -> "Check the PostgreSQL server and the job's tributary.postgres.* settings.";
        };
    }

    @Override
    public void write(MinuteRow row) throws IOException, InterruptedException {
        // A later firing of the same window replaces the earlier one: it has the newer totals.
        buffer.put(row.windowStart + "/" + row.category + "/" + row.country, row);
        if (buffer.size() >= options.maxBufferedRows()) {
            flush();
        }
    }

    @Override
    public void flush() throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        retry.untilDone(this::upsert, SQLException.class, this::closeConnection, buffer.size() + " minute rows");
        rowsWritten.inc(buffer.size() - refusedInAttempt.size());
        refusedInAttempt.forEach(rejected);
        buffer.clear();
    }

    private void upsert() throws SQLException {
        refusedInAttempt.clear();
        if (connection == null) {
            connection = DriverManager.getConnection(options.jdbcUrl(), connectionProperties);
            connection.setAutoCommit(false);
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            try {
                for (MinuteRow row : buffer.values()) {
                    bind(statement, row);
                    statement.addBatch();
                }
                statement.executeBatch();
            } catch (SQLException e) {
                if (StoreErrors.classify(e).scope() != StoreError.Scope.ROW) {
                    throw e;
                }
                connection.rollback();
                statement.clearBatch();
                upsertOneByOne(statement);
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /** Each row under a savepoint: a row PostgreSQL refuses for its values is set aside, the others stay. */
    private void upsertOneByOne(PreparedStatement statement) throws SQLException {
        for (MinuteRow row : buffer.values()) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                bind(statement, row);
                statement.executeUpdate();
                connection.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                StoreError error = StoreErrors.classify(e);
                if (error.scope() != StoreError.Scope.ROW) {
                    throw e;
                }
                connection.rollback(savepoint);
                refusedInAttempt.add(refused(row, error, e.getSQLState()));
            }
        }
    }

    private static void bind(PreparedStatement statement, MinuteRow row) throws SQLException {
        statement.setObject(1, OffsetDateTime.ofInstant(Instant.ofEpochMilli(row.windowStart), ZoneOffset.UTC));
        statement.setString(2, row.category);
        statement.setString(3, row.country);
        statement.setLong(4, row.payments);
        statement.setBigDecimal(5, amountUsd(row));
        statement.setLong(6, row.declines);
        statement.setLong(7, row.alerts);
    }

    private static BigDecimal amountUsd(MinuteRow row) {
        return BigDecimal.valueOf(row.amountUsd).setScale(4, RoundingMode.HALF_EVEN);
    }

    /**
     * A minute row PostgreSQL refused, with the values it would have held. The detail names the
     * SQLSTATE, not the server's message, which may quote a value.
     */
    private static RejectedRow refused(MinuteRow row, StoreError error, String sqlState) {
        String windowStart = Instant.ofEpochMilli(row.windowStart).toString();
        String json = new JsonRow().add("window_start", windowStart).add("merchant_category", row.category)
                .add("country", row.country).add("payments", row.payments).add("amount_usd", amountUsd(row))
                .add("declines", row.declines).add("alerts", row.alerts).toString();
        return new RejectedRow(MetricsSchema.MINUTE_TABLE + "/" + windowStart + "/" + row.category + "/" + row.country,
                json, row.windowStart, error, "PostgreSQL refused this minute row of " + MetricsSchema.MINUTE_TABLE
                + " with SQLSTATE " + sqlState + ": a value does not fit its column or breaks a constraint. The"
                + " dashboard keeps this minute's earlier totals, if any; if such totals are real, widen the column"
                + " in a new migration.");
    }

    private void closeConnection() {
        StoreWriters.closeQuietly(connection, "PostgreSQL", LOG);
        connection = null;
    }

    @Override
    public void close() {
        closeConnection();
    }
}
