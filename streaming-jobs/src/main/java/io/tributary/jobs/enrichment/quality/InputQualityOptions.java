package io.tributary.jobs.enrichment.quality;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of the enrichment job's input-quality monitors: their window, their trailing baseline
 * and the bounds past which a measure is out of line. The bounds are published beside the measures
 * as gauges, and the alert rules compare the two, so a bound changed here moves its alert too.
 */
public final class InputQualityOptions {
    private static final String PREFIX = "tributary.enrichment.quality.";

    private InputQualityOptions() {}

    public static final ConfigOption<Duration> WINDOW = ConfigOptions.key(PREFIX + "window")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("Processing-time window of the input-quality measures (null rates, volume, amount and"
                    + " currency drift): each is published once per window, for the payments read in it.");

    public static final ConfigOption<Integer> BASELINE_WINDOWS = ConfigOptions.key(PREFIX + "baseline-windows")
            .intType()
            .defaultValue(30)
            .withDescription("How many preceding windows make the trailing baseline that each window is compared"
                    + " with (the median volume, the pooled amount and currency distributions, the null rates).");

    public static final ConfigOption<Integer> MIN_BASELINE_WINDOWS = ConfigOptions.key(PREFIX + "min-baseline-windows")
            .intType()
            .defaultValue(5)
            .withDescription("Until the baseline holds this many windows (after the first start, not after a restore),"
                    + " the comparisons are not published (NaN), so no alert fires on a half-built baseline.");

    public static final ConfigOption<Integer> MIN_RECORDS = ConfigOptions.key(PREFIX + "min-records")
            .intType()
            .defaultValue(200)
            .withDescription("A window with fewer payments publishes no null rates and no drift (NaN): too few to"
                    + " tell a shift from chance. Its volume is still compared.");

    public static final ConfigOption<Double> VOLUME_RATIO_MIN = ConfigOptions.key(PREFIX + "volume-ratio-min")
            .doubleType()
            .defaultValue(0.5)
            .withDescription("Bound of alert TributaryInputVolumeAbnormal: a window's payments below this share of"
                    + " the baseline's median window.");

    public static final ConfigOption<Double> VOLUME_RATIO_MAX = ConfigOptions.key(PREFIX + "volume-ratio-max")
            .doubleType()
            .defaultValue(2.0)
            .withDescription("Bound of alert TributaryInputVolumeAbnormal: a window's payments above this multiple of"
                    + " the baseline's median window.");

    public static final ConfigOption<Double> MAX_PSI = ConfigOptions.key(PREFIX + "max-psi")
            .doubleType()
            .defaultValue(0.25)
            .withDescription("Bound of alerts TributaryAmountDrift and TributaryCurrencyMixDrift: the population"
                    + " stability index of a window's amounts (log bins) or currencies against the baseline's above"
                    + " which the distribution has shifted (0.25 is the usual 'major shift').");

    public static final ConfigOption<Double> MAX_NULL_RATE_INCREASE = ConfigOptions.key(PREFIX + "max-null-rate-increase")
            .doubleType()
            .defaultValue(0.2)
            .withDescription("Bound of alert TributaryOptionalFieldNulls: an optional field's null rate in a window"
                    + " above the baseline's rate plus this (absolute, 0.2 = 20 points).");

    /** Every option of the monitors. */
    public static List<ConfigOption<?>> all() {
        return List.of(WINDOW, BASELINE_WINDOWS, MIN_BASELINE_WINDOWS, MIN_RECORDS, VOLUME_RATIO_MIN, VOLUME_RATIO_MAX,
                MAX_PSI, MAX_NULL_RATE_INCREASE);
    }
}
