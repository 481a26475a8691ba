package io.tributary.jobs.metrics.postgres;

import io.tributary.jobs.metrics.MetricsSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The versioned schema of live-metrics' tables, applied at start-up: each migration runs once, in
 * order, in one transaction with its record in {@code tributary_schema_versions}, under an advisory
 * lock so that two starting jobs do not race. A migration is never edited once released; a change
 * is a new one.
 */
public final class MetricsSchema {
    /** The table of minute rows, which the migrations below create and the sink upserts into. */
    public static final String MINUTE_TABLE = "live_metrics_minute";
    /** The component whose versions this schema records. */
    static final String COMPONENT = "live-metrics";
    /** Advisory lock id held while migrating (an arbitrary constant of this component). */
    private static final long LOCK = 0x7472_6962_6d65_7472L;

    /** The migrations, version 1 first. */
    static final List<String> MIGRATIONS = List.of(
            // 1: one row per minute, merchant category and country. The primary key starts with the
            // minute, so "the last 60 minutes" is a range scan of its index.
            """
            CREATE TABLE live_metrics_minute (
                window_start      timestamptz    NOT NULL,
                merchant_category text           NOT NULL,
                country           char(2)        NOT NULL,
                payments          bigint         NOT NULL,
                amount_usd        numeric(20, 4) NOT NULL,
                declines          bigint         NOT NULL,
                alerts            bigint         NOT NULL,
                updated_at        timestamptz    NOT NULL DEFAULT now(),
                PRIMARY KEY (window_start, merchant_category, country)
            )
            """);

    private MetricsSchema() {}

    /** Connects with the job's settings and brings the schema to the latest version. */
    public static List<Integer> migrate(MetricsSettings.Postgres postgres, Map<String, String> environment)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", postgres.user());
        if (postgres.passwordVariable() != null) {
            properties.setProperty("password", environment.get(postgres.passwordVariable()));
        }
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), properties)) {
            return migrate(connection);
        }
    }

    /** Brings the schema to the latest version; returns the versions applied now (none if current). */
    public static List<Integer> migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS tributary_schema_versions (
                        component  text        NOT NULL,
                        version    integer     NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (component, version)
                    )""");
            int current = currentVersion(connection);
            List<Integer> applied = new java.util.ArrayList<>();
            for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
                statement.execute(MIGRATIONS.get(version - 1));
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO tributary_schema_versions (component, version) VALUES (?, ?)")) {
                    record.setString(1, COMPONENT);
                    record.setInt(2, version);
                    record.executeUpdate();
                }
                applied.add(version);
            }
            connection.commit();
            return applied;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT coalesce(max(version), 0) FROM tributary_schema_versions WHERE component = ?")) {
            query.setString(1, COMPONENT);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
