package io.tributary.jobs.metrics;

/**
 * The dimensions of a dashboard row: merchant category and country. A Flink POJO, used as the key
 * of the minute windows.
 */
public class MinuteKey {
    /** The merchant's category code, or {@code unknown} when the merchant was not known. */
    public String category;
    /** The payment's country (ISO 3166-1 alpha-2). */
    public String country;

    public MinuteKey() {}

    public MinuteKey(String category, String country) {
        this.category = category;
        this.country = country;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinuteKey k && k.category.equals(category) && k.country.equals(country);
    }

    @Override
    public int hashCode() {
        return 31 * category.hashCode() + country.hashCode();
    }

    @Override
    public String toString() {
        return category + "/" + country;
    }
}
