package io.tributary.jobs.enrichment.quality;

/**
 * The population stability index of a distribution against a baseline, both as counts over the
 * same bins: the sum over bins of (p - q) ln(p / q). 0 is no change; by the usual reading, below
 * 0.1 is noise, 0.1 to 0.25 a moderate shift and above 0.25 a major one. Chosen over a KS distance
 * because it works alike for ordered bins (amounts) and for categories (currencies).
 *
 * <p>Each bin present in either distribution gets half a record added to both, so that a bin empty
 * on one side gives a large but finite term instead of an infinite one.
 */
final class PopulationStability {
    private static final double PSEUDO_COUNT = 0.5;

    private PopulationStability() {}

    /**
     * The index of {@code current} against {@code baseline}, bin by bin; NaN when either is empty.
     *
     * @throws IllegalArgumentException when the two have different numbers of bins
     */
    static double index(long[] baseline, long[] current) {
        if (baseline.length != current.length) {
            throw new IllegalArgumentException(baseline.length + " baseline bins but " + current.length + " current ones");
        }
        int bins = 0;
        long baselineTotal = 0;
        long currentTotal = 0;
        for (int i = 0; i < current.length; i++) {
            if (baseline[i] > 0 || current[i] > 0) {
                bins++;
            }
            baselineTotal += baseline[i];
            currentTotal += current[i];
        }
        if (baselineTotal == 0 || currentTotal == 0) {
            return Double.NaN;
        }
        double psi = 0;
        for (int i = 0; i < current.length; i++) {
            if (baseline[i] == 0 && current[i] == 0) {
                continue;
            }
            double q = (baseline[i] + PSEUDO_COUNT) / (baselineTotal + PSEUDO_COUNT * bins);
            double p = (current[i] + PSEUDO_COUNT) / (currentTotal + PSEUDO_COUNT * bins);
            psi += (p - q) * Math.log(p / q);
        }
        return psi;
    }
}
