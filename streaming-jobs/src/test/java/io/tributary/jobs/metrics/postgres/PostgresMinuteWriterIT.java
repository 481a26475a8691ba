package io.tributary.jobs.metrics.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.jobs.common.store.RejectedRow;
import io.tributary.jobs.common.store.internal.StoreError;
import io.tributary.jobs.metrics.MinuteRow;
import java.io.IOException;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.junit.LocalServersExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard table: its migration, the writer's upserts, a row too large for its column set aside,
 * a user without privilege and a missing table failing at once, and the README's query, on a real
 * PostgreSQL.
 */
@ExtendWith(LocalServersExtension.class)
class PostgresMinuteWriterIT {
    private static final long MINUTE = 60_000;

    /** The README's "last 60 minutes" query, with the end of the hour as a parameter. */
    static final String LAST_60_MINUTES = """
            SELECT window_start, merchant_category, country, payments, amount_usd, declines, alerts
            FROM live_metrics_minute
            WHERE window_start >= ? - interval '60 minutes' AND window_start < ?
            ORDER BY window_start, merchant_category, country
            """;

    @Test
    void migratesOnceAndUpsertsWithoutGoingBack(PostgresServer postgres) throws Exception {
        DataSource database = postgres.createDatabase("minutes_upsert");
        try (Connection connection = database.getConnection()) {
            assertThat(MetricsSchema.migrate(connection)).containsExactly(1);
            assertThat(MetricsSchema.migrate(connection)).isEmpty();
        }
        try (PostgresMinuteWriter writer = writer(postgres, "minutes_upsert")) {
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 2, 20.5, 1, 0));
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 3, 30.5, 1, 0));
            writer.flush();
            assertThat(rows(database)).containsExactly("60000 5411 DE 3 30.5000 1 0");

            // A replay's earlier firing never replaces the written totals; a later one does.
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 2, 20.5, 1, 0));
            writer.flush();
            assertThat(rows(database)).containsExactly("60000 5411 DE 3 30.5000 1 0");
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 3, 30.5, 1, 1));
            writer.flush();
            assertThat(rows(database)).containsExactly("60000 5411 DE 3 30.5000 1 1");
        }
    }

    @Test
    void theLastHourQueryReadsTheIndexOnADayOfData(PostgresServer postgres) throws Exception {
        DataSource database = postgres.createDatabase("minutes_day");
        try (Connection connection = database.getConnection()) {
            MetricsSchema.migrate(connection);
            // A day of minutes for 60 category/country pairs: 86,400 rows.
            try (Statement statement = connection.createStatement()) {
                statement.execute("""
                        INSERT INTO live_metrics_minute
                            (window_start, merchant_category, country, payments, amount_usd, declines, alerts)
                        SELECT timestamptz '2026-11-27 00:00:00+00' + m * interval '1 minute', c::text, k, 10, 100, 1, 0
                        FROM generate_series(0, 1439) m, generate_series(5000, 5011) c,
                             unnest(array['DE', 'FR', 'ES', 'IT', 'NL']) k""");
                statement.execute("ANALYZE live_metrics_minute");
            }
            String plan;
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE) " + LAST_60_MINUTES)) {
                var end = java.time.OffsetDateTime.parse("2026-11-27T18:00:00Z");
                explain.setObject(1, end);
                explain.setObject(2, end);
                List<String> lines = new ArrayList<>();
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                plan = String.join("\n", lines);
            }
            // For the README: the plan and its execution time on this machine (not asserted).
            System.out.println("Last 60 minutes of a day of minute rows:\n" + plan);
            assertThat(plan).containsPattern("Index (Only )?Scan using live_metrics_minute_pkey|Bitmap Index Scan on live_metrics_minute_pkey");
            try (PreparedStatement query = connection.prepareStatement(LAST_60_MINUTES)) {
                var end = java.time.OffsetDateTime.parse("2026-11-27T18:00:00Z");
                query.setObject(1, end);
                query.setObject(2, end);
                int count = 0;
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        count++;
                    }
                }
                assertThat(count).isEqualTo(60 * 60);
            }
        }
    }

    @Test
    void aRowThatOverflowsItsColumnIsRejectedAndTheOthersWritten(PostgresServer postgres) throws Exception {
        DataSource database = postgres.createDatabase("minutes_overflow");
        try (Connection connection = database.getConnection()) {
            MetricsSchema.migrate(connection);
        }
        try (PostgresMinuteWriter writer = writer(postgres, "minutes_overflow")) {
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 2, 20.5, 1, 0));
            // numeric(20, 4) holds less than 10^16.
            writer.write(new MinuteRow(MINUTE, "5411", "FR", 101, 1.01e16, 0, 0));
            writer.write(new MinuteRow(MINUTE, "5812", "DE", 1, 9.25, 0, 1));

            long started = System.nanoTime();
            writer.flush();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried").isLessThan(Duration.ofSeconds(5));
            assertThat(rows(database)).containsExactly("60000 5411 DE 2 20.5000 1 0", "60000 5812 DE 1 9.2500 0 1");
            assertThat(rejected).singleElement().satisfies(row -> {
                assertThat(row.error()).isEqualTo(StoreError.NUMERIC_OVERFLOW);
                assertThat(row.key()).isEqualTo("live_metrics_minute/1970-01-01T00:01:00Z/5411/FR");
                assertThat(row.eventTime()).isEqualTo(MINUTE);
                assertThat(row.json()).isEqualTo("{\"window_start\":\"1970-01-01T00:01:00Z\",\"merchant_category\":"
                        + "\"5411\",\"country\":\"FR\",\"payments\":101,\"amount_usd\":10100000000000000.0000,"
                        + "\"declines\":0,\"alerts\":0}");
                assertThat(row.detail()).contains("SQLSTATE 22003").doesNotContain("10100000000000000");
            });
        }
    }

    @Test
    void aUserWithoutPrivilegeOnTheTableFailsTheFlushAtOnceSayingWhatToFix(PostgresServer postgres) throws Exception {
        DataSource database = postgres.createDatabase("minutes_no_grant");
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            MetricsSchema.migrate(connection);
            statement.execute("CREATE ROLE it_no_grant LOGIN PASSWORD 'it-secret'");
        }
        PostgresMinuteSink.Options options = new PostgresMinuteSink.Options(postgres.jdbcUrl("minutes_no_grant"),
                "it_no_grant", "IT_PG_PASSWORD", 100, Duration.ofSeconds(60));
        try (PostgresMinuteWriter writer = new PostgresMinuteWriter(options, Map.of("IT_PG_PASSWORD", "it-secret"),
                new UnregisteredMetricsGroup(), rejected::add)) {
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 2, 20.5, 1, 0));

            long started = System.nanoTime();
            assertThatThrownBy(writer::flush).isInstanceOf(IOException.class)
                    .hasMessage("PostgreSQL at " + postgres.jdbcUrl("minutes_no_grant") + " refused 1 minute rows:"
                            + " ERROR: permission denied for table live_metrics_minute. Grant user it_no_grant SELECT,"
                            + " INSERT and UPDATE on table live_metrics_minute. Not retried: no retry can succeed until then.");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aDatabaseWithoutTheTableFailsTheFlushAtOnceSayingWhatToFix(PostgresServer postgres) throws Exception {
        postgres.createDatabase("minutes_not_migrated");
        try (PostgresMinuteWriter writer = writer(postgres, "minutes_not_migrated")) {
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 2, 20.5, 1, 0));

            assertThatThrownBy(writer::flush).isInstanceOf(IOException.class)
                    .hasMessageContaining("refused 1 minute rows: ERROR: relation \"live_metrics_minute\" does not exist")
                    .hasMessageContaining("tributary run live-metrics migrates it before the job starts");
        }
    }

    private final List<RejectedRow> rejected = new ArrayList<>();

    private PostgresMinuteWriter writer(PostgresServer postgres, String database) {
        PostgresMinuteSink.Options options = new PostgresMinuteSink.Options(postgres.jdbcUrl(database),
                postgres.user(), "PGPASSWORD_FOR_TEST", 100, Duration.ofSeconds(60));
        return new PostgresMinuteWriter(options, Map.of("PGPASSWORD_FOR_TEST", postgres.password()),
                new UnregisteredMetricsGroup(), rejected::add);
    }

    static List<String> rows(DataSource database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet r = statement.executeQuery("""
                        SELECT extract(epoch FROM window_start)::bigint * 1000, merchant_category, country, payments,
                               amount_usd, declines, alerts
                        FROM live_metrics_minute ORDER BY 1, 2, 3""")) {
            while (r.next()) {
                rows.add(r.getLong(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getLong(4) + " "
                        + r.getBigDecimal(5).toPlainString() + " " + r.getLong(6) + " " + r.getLong(7));
            }
        }
        return rows;
    }
}
