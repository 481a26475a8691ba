package io.tributary.dashboard.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The business half of the page, from the minute rows: per-minute payments, declines and USD
 * volume as chart series by merchant category and by country, and the latest minute's rows in
 * full for the table. A chart with dozens of lines is unreadable on a phone, so each grouping keeps
 * its {@value #MAX_SERIES} busiest members (by payments over the window) and sums the rest into
 * {@value #OTHER}; the table keeps every row.
 */
public final class MinuteBreakdown {
    static final int MAX_SERIES = 8;
    static final String OTHER = "other";

    /** One line of a chart: a category or country, a value per minute of {@link Business#minutes()}. */
    public record Series(String name, long[] payments, long[] declines, double[] amountUsd) {}

    /** One row of the latest minute's table; the amount in USD rounded to cents. */
    public record TableRow(String category, String country, long payments, long declines, String amountUsd, long alerts) {}

    /**
     * What the page shows of the minute rows.
     *
     * @param minutes the start of every minute that has a row, epoch milliseconds, oldest first
     * @param latestMinute the start of the newest minute, or null when there is no row
     */
    public record Business(List<Long> minutes, List<Series> byCategory, List<Series> byCountry, Long latestMinute,
            List<TableRow> latest) {}

    private MinuteBreakdown() {
    }

    /** The page's view of {@code rows} (any order). */
    public static Business of(List<MinuteRow> rows) {
        List<Long> minutes = new ArrayList<>(new TreeSet<>(rows.stream().map(r -> r.windowStart().toEpochMilli()).toList()));
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < minutes.size(); i++) {
            index.put(minutes.get(i), i);
        }
        Long latest = minutes.isEmpty() ? null : minutes.get(minutes.size() - 1);
        List<TableRow> table = rows.stream()
                .filter(r -> r.windowStart().toEpochMilli() == latest)
                .sorted(Comparator.comparingLong(MinuteRow::payments).reversed()
                        .thenComparing(MinuteRow::category).thenComparing(MinuteRow::country))
                .map(r -> new TableRow(r.category(), r.country(), r.payments(), r.declines(), cents(r.amountUsd()),
                        r.alerts()))
                .toList();
        return new Business(minutes, series(rows, MinuteRow::category, index), series(rows, MinuteRow::country, index),
                latest, table);
    }

    /** An amount in USD as the page shows it: rounded half up to cents, as PostgreSQL's {@code round(x, 2)}. */
    public static String cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static List<Series> series(List<MinuteRow> rows, Function<MinuteRow, String> group, Map<Long, Integer> index) {
        Map<String, Long> totals = new HashMap<>();
        rows.forEach(r -> totals.merge(group.apply(r), r.payments(), Long::sum));
        List<String> busiest = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        List<String> shown = busiest.size() <= MAX_SERIES ? busiest : busiest.subList(0, MAX_SERIES - 1);
        Map<String, Series> byName = new LinkedHashMap<>();
        int n = index.size();
        for (MinuteRow r : rows) {
            String name = shown.contains(group.apply(r)) ? group.apply(r) : OTHER;
            Series s = byName.computeIfAbsent(name, k -> new Series(k, new long[n], new long[n], new double[n]));
            int i = index.get(r.windowStart().toEpochMilli());
            s.payments()[i] += r.payments();
            s.declines()[i] += r.declines();
            s.amountUsd()[i] += r.amountUsd().doubleValue();
        }
        List<Series> ordered = new ArrayList<>();
        shown.stream().map(byName::get).forEach(ordered::add);
        if (byName.containsKey(OTHER)) {
            ordered.add(byName.get(OTHER));
        }
        return ordered;
    }

    /** The start of the window the page shows, {@code window} before {@code now}, on a whole minute. */
    public static Instant windowStart(Instant now, java.time.Duration window) {
        return now.minus(window).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    }
}
