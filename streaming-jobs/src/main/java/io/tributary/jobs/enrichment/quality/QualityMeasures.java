package io.tributary.jobs.enrichment.quality;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The measures of one window of one topic against its trailing baseline: a pure function, so that
 * the bounds' arithmetic is tested without an operator. NaN marks a measure that cannot be judged
 * (a baseline still too short, a window with too few payments); Prometheus compares NaN with
 * nothing, so no alert fires on it.
 *
 * @param records payments in the window
 * @param volumeRatio payments in the window over the baseline's median window: the median, not
 *     the mean, so that one burst or outage in the baseline does not move it
 * @param amountPsi population stability of the amounts ({@link AmountBuckets}) against the
 *     baseline's pooled amounts
 * @param currencyPsi the same over currencies
 * @param nullRates by {@link OptionalPaymentField} ordinal, the share of the window's payments
 *     without the field
 * @param nullRateMax by ordinal, the baseline's pooled null rate plus the allowed increase
 */
record QualityMeasures(long records, double volumeRatio, double amountPsi, double currencyPsi, double[] nullRates,
        double[] nullRateMax) {

    static QualityMeasures of(InputProfile window, List<InputProfile> baseline, InputQualityParameters p) {
        boolean baselineReady = baseline.size() >= p.minBaselineWindows();
        boolean enoughRecords = window.records >= p.minRecords();
        InputProfile pooled = pool(window.topic, baseline);

        double median = median(baseline);
        double volumeRatio = baselineReady && median > 0 ? window.records / median : Double.NaN;
        boolean compareDistributions = baselineReady && enoughRecords;
        double amountPsi = compareDistributions
                ? PopulationStability.index(pooled.amountBuckets, window.amountBuckets) : Double.NaN;
        double currencyPsi = compareDistributions ? currencyPsi(pooled, window) : Double.NaN;

        OptionalPaymentField[] fields = OptionalPaymentField.values();
        double[] nullRates = new double[fields.length];
        double[] nullRateMax = new double[fields.length];
        for (OptionalPaymentField field : fields) {
            nullRates[field.ordinal()] = enoughRecords ? (double) window.nulls(field) / window.records : Double.NaN;
            nullRateMax[field.ordinal()] = baselineReady && pooled.records > 0
                    ? (double) pooled.nulls(field) / pooled.records + p.maxNullRateIncrease() : Double.NaN;
        }
        return new QualityMeasures(window.records, volumeRatio, amountPsi, currencyPsi, nullRates, nullRateMax);
    }

    private static InputProfile pool(String topic, List<InputProfile> baseline) {
        InputProfile.Accumulator pooled = new InputProfile.Accumulator(topic);
        baseline.forEach(pooled::add);
        return pooled.toProfile(0);
    }

    private static double median(List<InputProfile> baseline) {
        if (baseline.isEmpty()) {
            return Double.NaN;
        }
        long[] counts = baseline.stream().mapToLong(w -> w.records).sorted().toArray();
        int middle = counts.length / 2;
        return counts.length % 2 == 1 ? counts[middle] : (counts[middle - 1] + counts[middle]) / 2.0;
    }

    /** Both currency distributions over the union of their currencies. */
    private static double currencyPsi(InputProfile baseline, InputProfile window) {
        Map<String, long[]> byCurrency = new TreeMap<>();
        for (int i = 0; i < baseline.currencies.length; i++) {
            byCurrency.computeIfAbsent(baseline.currencies[i], c -> new long[2])[0] = baseline.currencyCounts[i];
        }
        for (int i = 0; i < window.currencies.length; i++) {
            byCurrency.computeIfAbsent(window.currencies[i], c -> new long[2])[1] = window.currencyCounts[i];
        }
        long[] expected = byCurrency.values().stream().mapToLong(c -> c[0]).toArray();
        long[] actual = byCurrency.values().stream().mapToLong(c -> c[1]).toArray();
        return PopulationStability.index(expected, actual);
    }
}
