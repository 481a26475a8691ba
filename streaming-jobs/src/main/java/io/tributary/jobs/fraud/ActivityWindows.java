package io.tributary.jobs.fraud;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * One card's or account's payments of the last 24 hours, by minute, and the countries it paid in
 * during the last hour: what the windowed features are computed from. A Flink POJO of arrays, read
 * and written with one state access per payment; at most 1,440 minutes are kept, so its size is
 * bounded however busy the card.
 */
public class ActivityWindows {
    private static final long MINUTE = 60_000L;
    private static final long MINUTES_KEPT = Feature.LONGEST_WINDOW.toMinutes();
    private static final long COUNTRY_WINDOW = Feature.CARD_DISTINCT_COUNTRIES_1H.window().toMillis();

    /** Epoch minutes with at least one payment, ascending. */
    public long[] minutes = new long[0];
    /** Payments in each minute. */
    public int[] counts = new int[0];
    /** Sum of the USD amounts in each minute (payments without a USD amount add nothing). */
    public double[] sumsUsd = new double[0];
    /** Countries paid in, with the event time of the latest payment in each. */
    public String[] countries = new String[0];
    public long[] countryLastSeen = new long[0];

    public ActivityWindows() {}

    /** Adds a payment, then drops what no window of a payment at {@code eventTime} can reach. */
    public void add(long eventTime, Double amountUsd, String country) {
        long minute = Math.floorDiv(eventTime, MINUTE);
        int i = Arrays.binarySearch(minutes, minute);
        if (i < 0) {
            i = -i - 1;
            minutes = insert(minutes, i, minute);
            counts = insert(counts, i);
            sumsUsd = insert(sumsUsd, i);
        }
        counts[i]++;
        if (amountUsd != null) {
            sumsUsd[i] += amountUsd;
        }
        if (country != null) {
            int c = Arrays.asList(countries).indexOf(country);
            if (c < 0) {
                countries = Arrays.copyOf(countries, countries.length + 1);
                countryLastSeen = Arrays.copyOf(countryLastSeen, countryLastSeen.length + 1);
                c = countries.length - 1;
                countries[c] = country;
                countryLastSeen[c] = eventTime;
            } else {
                countryLastSeen[c] = Math.max(countryLastSeen[c], eventTime);
            }
        }
        prune(eventTime);
    }

    /** Payments in the {@code windowMinutes} minutes ending with the minute of {@code eventTime}. */
    public long count(long eventTime, long windowMinutes) {
        return (long) total(eventTime, windowMinutes, i -> counts[i]);
    }

    /** Sum in USD over the same window as {@link #count}. */
    public double sumUsd(long eventTime, long windowMinutes) {
        return total(eventTime, windowMinutes, i -> sumsUsd[i]);
    }

    /** The sum of {@code perMinute} over the minutes of the window: what every windowed feature is. */
    private double total(long eventTime, long windowMinutes, IntToDoubleFunction perMinute) {
        long last = Math.floorDiv(eventTime, MINUTE);
        double total = 0;
        for (int i = 0; i < minutes.length; i++) {
            if (minutes[i] > last - windowMinutes && minutes[i] <= last) {
                total += perMinute.applyAsDouble(i);
            }
        }
        return total;
    }

    /** Countries with a payment in the hour up to {@code eventTime}: (eventTime − 1 h, eventTime]. */
    public int distinctCountries(long eventTime) {
        int n = 0;
        for (int i = 0; i < countries.length; i++) {
            if (countryLastSeen[i] > eventTime - COUNTRY_WINDOW) {
                n++;
            }
        }
        return n;
    }

    /** True when nothing is kept: the entity was idle for longer than the longest window. */
    public boolean isEmpty() {
        return minutes.length == 0 && countries.length == 0;
    }

    /** Drops minutes older than the longest window and countries older than an hour, as of {@code now}. */
    public void prune(long now) {
        long oldestKept = Math.floorDiv(now, MINUTE) - MINUTES_KEPT + 1;
        int from = 0;
        while (from < minutes.length && minutes[from] < oldestKept) {
            from++;
        }
        if (from > 0) {
            minutes = Arrays.copyOfRange(minutes, from, minutes.length);
            counts = Arrays.copyOfRange(counts, from, counts.length);
            sumsUsd = Arrays.copyOfRange(sumsUsd, from, sumsUsd.length);
        }
        int kept = 0;
        for (int i = 0; i < countries.length; i++) {
            if (countryLastSeen[i] > now - COUNTRY_WINDOW) {
                countries[kept] = countries[i];
                countryLastSeen[kept] = countryLastSeen[i];
                kept++;
            }
        }
        if (kept < countries.length) {
            countries = Arrays.copyOf(countries, kept);
            countryLastSeen = Arrays.copyOf(countryLastSeen, kept);
        }
    }

    /** Writes the windowed features of {@code entity} as of {@code eventTime} into {@code values}. */
    void writeFeatures(Feature.Entity entity, long eventTime, double[] values) {
        for (Feature feature : entity.features()) {
            switch (feature.kind()) {
                case COUNT -> values[feature.index()] = count(eventTime, feature.window().toMinutes());
                case SUM_USD -> values[feature.index()] = sumUsd(eventTime, feature.window().toMinutes());
                case DISTINCT_COUNTRIES -> values[feature.index()] = distinctCountries(eventTime);
                case AMOUNT_PROFILE -> { }
            }
        }
    }

    private static long[] insert(long[] array, int at, long value) {
        long[] next = new long[array.length + 1];
        System.arraycopy(array, 0, next, 0, at);
        next[at] = value;
        System.arraycopy(array, at, next, at + 1, array.length - at);
        return next;
    }

    private static int[] insert(int[] array, int at) {
        int[] next = new int[array.length + 1];
        System.arraycopy(array, 0, next, 0, at);
        System.arraycopy(array, at, next, at + 1, array.length - at);
        return next;
    }

    private static double[] insert(double[] array, int at) {
        double[] next = new double[array.length + 1];
        System.arraycopy(array, 0, next, 0, at);
        System.arraycopy(array, at, next, at + 1, array.length - at);
        return next;
    }
}
