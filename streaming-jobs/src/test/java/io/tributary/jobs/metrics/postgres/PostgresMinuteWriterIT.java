package io.tributary.jobs.metrics.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.jobs.metrics.MinuteRow;
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

/** The dashboard table: its migration, the writer's upserts, and the README's query, on a real PostgreSQL. */
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
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 2, 20.5, 1, 0), null);
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 3, 30.5, 1, 0), null);
            writer.flush(false);
            assertThat(rows(database)).containsExactly("60000 5411 DE 3 30.5000 1 0");

            // A replay's earlier firing never replaces the written totals; a later one does.
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 2, 20.5, 1, 0), null);
            writer.flush(false);
            assertThat(rows(database)).containsExactly("60000 5411 DE 3 30.5000 1 0");
            writer.write(new MinuteRow(MINUTE, "5411", "DE", 3, 30.5, 1, 1), null);
            writer.flush(false);
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

    static PostgresMinuteWriter writer(PostgresServer postgres, String database) {
        PostgresMinuteSink.Options options = new PostgresMinuteSink.Options(postgres.jdbcUrl(database),
                postgres.user(), "PGPASSWORD_FOR_TEST", 100, Duration.ofSeconds(10));
        return new PostgresMinuteWriter(options, Map.of("PGPASSWORD_FOR_TEST", postgres.password()),
                new UnregisteredMetricsGroup());
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
