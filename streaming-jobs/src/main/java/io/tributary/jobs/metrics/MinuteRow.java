package io.tributary.jobs.metrics;

/**
 * One row of the dashboard table: the totals of one minute, merchant category and country, as of
 * the latest firing of its window (the first when the watermark passes its end, again for each late
 * payment or alert within the allowed lateness). Written as an upsert, so a replay rewrites it.
 */
public class MinuteRow {
    public long windowStart;
    public String category;
    public String country;
    public long payments;
    public double amountUsd;
    public long declines;
    public long alerts;

    public MinuteRow() {}

    public MinuteRow(long windowStart, String category, String country, long payments, double amountUsd,
            long declines, long alerts) {
        this.windowStart = windowStart;
        this.category = category;
        this.country = country;
        this.payments = payments;
        this.amountUsd = amountUsd;
        this.declines = declines;
        this.alerts = alerts;
    }

    @Override
    public String toString() {
        return windowStart + " " + category + "/" + country + ": " + payments + " payments, " + amountUsd + " USD, "
                + declines + " declines, " + alerts + " alerts";
    }
}
