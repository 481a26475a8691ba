package io.tributary.dashboard.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads the minute rows of live-metrics from PostgreSQL. The query is the one streaming-jobs'
 * README documents for dashboards: the primary key starts with {@code window_start}, so "the last
 * hour" is a range scan of its index, cheap enough to run every refresh. A connection per read:
 * at one read every few seconds a pool would add a dependency and save nothing.
 */
public final class MinuteRows {
    private static final String SINCE = """
            SELECT window_start, merchant_category, country, payments, amount_usd, declines, alerts
            FROM live_metrics_minute
            WHERE window_start >= ?
            ORDER BY window_start, merchant_category, country""";

    private final String url;
    private final Properties credentials = new Properties();

    public MinuteRows(String url, String user, String password) {
        this.url = url;
        credentials.setProperty("user", user);
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("connectTimeout", "5");
        credentials.setProperty("socketTimeout", "10");
        credentials.setProperty("ApplicationName", "tributary-dashboard");
    }

    /** Every row whose minute starts at or after {@code from}, oldest first. */
    public List<MinuteRow> since(Instant from) throws SQLException {
        List<MinuteRow> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, credentials);
                PreparedStatement statement = connection.prepareStatement(SINCE)) {
            connection.setReadOnly(true);
            statement.setTimestamp(1, Timestamp.from(from));
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    rows.add(new MinuteRow(r.getTimestamp(1).toInstant(), r.getString(2), r.getString(3), r.getLong(4),
                            r.getBigDecimal(5), r.getLong(6), r.getLong(7)));
                }
            }
        }
        return rows;
    }
}
