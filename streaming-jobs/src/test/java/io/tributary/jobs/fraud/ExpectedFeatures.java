package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features of a card as of its last payment, computed the plain way from all its payments
 * (not with the job's classes): what Redis must hold after the job has scored them.
 */
final class ExpectedFeatures {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    private ExpectedFeatures() {}

    /** Field name to value, for the fields of a card's hash. */
    static Map<String, Double> card(List<EnrichedTransaction> cardPayments) {
        List<EnrichedTransaction> ordered = cardPayments.stream()
                .sorted(Comparator.comparing(EnrichedTransaction::getEventTime)
                        .thenComparing(p -> p.getEventId().toString()))
                .toList();
        EnrichedTransaction last = ordered.get(ordered.size() - 1);
        long t = last.getEventTime().toEpochMilli();
        long lastMinute = Math.floorDiv(t, MINUTE);
        Map<String, Double> features = new LinkedHashMap<>();
        for (long minutes : new long[] {1, 10, 60, 1440}) {
            String suffix = minutes == 1 ? "1m" : minutes == 10 ? "10m" : minutes == 60 ? "1h" : "24h";
            List<EnrichedTransaction> inWindow = ordered.stream().filter(p -> {
                long minute = Math.floorDiv(p.getEventTime().toEpochMilli(), MINUTE);
                return minute > lastMinute - minutes && minute <= lastMinute;
            }).toList();
            features.put("count_" + suffix, (double) inWindow.size());
            features.put("sum_usd_" + suffix, inWindow.stream().mapToDouble(p -> p.getAmountUsd().doubleValue()).sum());
        }
        features.put("distinct_countries_1h", (double) ordered.stream()
                .filter(p -> p.getEventTime().toEpochMilli() > t - HOUR)
                .map(EnrichedTransaction::getCountry).distinct().count());
        List<Double> earlier = ordered.subList(0, ordered.size() - 1).stream()
                .map(p -> p.getAmountUsd().doubleValue()).toList();
        double mean = earlier.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance = earlier.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum()
                / Math.max(1, earlier.size());
        double stddev = earlier.size() < 2 ? 0 : Math.sqrt(variance);
        features.put("amount_mean_usd", mean);
        features.put("amount_stddev_usd", stddev);
        features.put("amount_zscore", stddev == 0 ? 0 : (last.getAmountUsd().doubleValue() - mean) / stddev);
        return features;
    }
}
