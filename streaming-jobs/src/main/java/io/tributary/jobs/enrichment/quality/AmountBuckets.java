package io.tributary.jobs.enrichment.quality;

import java.math.BigDecimal;

/**
 * Log-scale bins of an amount in its own currency, two per power of ten (1-3.16, 3.16-10, ...), from
 * 0.0001 (the contract's scale) up to 10^12; amounts outside go to the first or last bin. Log bins
 * because amounts spread over orders of magnitude: a factor of 100 moves every payment four bins.
 * The amount is not converted to USD (the rates are known only later, in the enricher), so a shift
 * of the currency mix moves this distribution too.
 */
final class AmountBuckets {
    private static final int BINS_PER_DECADE = 2;
    private static final int LOWEST_DECADE = -4;
    /** Bins of 10^-4 to 10^12. */
    static final int COUNT = (12 - LOWEST_DECADE) * BINS_PER_DECADE;

    private AmountBuckets() {}

    static int of(BigDecimal amount) {
        double value = amount.doubleValue();
        if (!(value > 0)) {
            return 0;
        }
        int bin = (int) Math.floor((Math.log10(value) - LOWEST_DECADE) * BINS_PER_DECADE);
        return Math.max(0, Math.min(COUNT - 1, bin));
    }
}
