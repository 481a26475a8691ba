package io.tributary.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** live-metrics' rows as a dashboard reads them, one line each: "minute category country payments usd declines alerts". */
public final class MinuteRows {
    private MinuteRows() {}

    /** Every row, sorted. */
    public static List<String> read(DataSource database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet r = statement.executeQuery("""
                        SELECT extract(epoch FROM window_start)::bigint * 1000, merchant_category, country, payments,
                               amount_usd, declines, alerts
                        FROM live_metrics_minute""")) {
            while (r.next()) {
                rows.add(r.getLong(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getLong(4) + " "
                        + r.getBigDecimal(5).toPlainString() + " " + r.getLong(6) + " " + r.getLong(7));
            }
        }
        rows.sort(null);
        return rows;
    }

    /** Waits until the rows equal {@code expected} (sorted), or two minutes have passed. */
    public static void await(DataSource database, List<String> expected) throws Exception {
        List<String> sorted = new ArrayList<>(expected);
        sorted.sort(null);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!read(database).equals(sorted) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }
}
