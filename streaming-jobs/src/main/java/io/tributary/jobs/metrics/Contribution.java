package io.tributary.jobs.metrics;

/**
 * What one payment, or one alert on it, adds to the minute of the payment's event time. A Flink
 * POJO; its record timestamp is the payment's event time.
 */
public class Contribution {
    public String category;
    public String country;
    public long payments;
    public double amountUsd;
    public long declines;
    public long alerts;

    public Contribution() {}

    static Contribution payment(String category, String country, double amountUsd, boolean declined) {
        Contribution c = new Contribution();
        c.category = category;
        c.country = country;
        c.payments = 1;
        c.amountUsd = amountUsd;
        c.declines = declined ? 1 : 0;
        return c;
    }

    static Contribution alert(String category, String country) {
        Contribution c = new Contribution();
        c.category = category;
        c.country = country;
        c.alerts = 1;
        return c;
    }

    MinuteKey key() {
        return new MinuteKey(category, country);
    }
}
