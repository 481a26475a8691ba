package io.tributary.jobs.enrichment.quality;

import static io.tributary.jobs.common.SettingChecks.positive;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The input-quality monitors' settings ({@link InputQualityOptions}), read once and checked. */
public record InputQualityParameters(
        Duration window,
        int baselineWindows,
        int minBaselineWindows,
        int minRecords,
        double volumeRatioMin,
        double volumeRatioMax,
        double maxPsi,
        double maxNullRateIncrease) implements Serializable {

    /**
     * Reads and checks the settings.
     *
     * @throws IllegalArgumentException with one line naming the option that is out of range
     */
    public static InputQualityParameters from(Configuration c) {
        InputQualityParameters p = new InputQualityParameters(
                positive(c, InputQualityOptions.WINDOW),
                atLeast(c, InputQualityOptions.BASELINE_WINDOWS, 1),
                atLeast(c, InputQualityOptions.MIN_BASELINE_WINDOWS, 1),
                atLeast(c, InputQualityOptions.MIN_RECORDS, 1),
                notNegative(c, InputQualityOptions.VOLUME_RATIO_MIN),
                notNegative(c, InputQualityOptions.VOLUME_RATIO_MAX),
                notNegative(c, InputQualityOptions.MAX_PSI),
                notNegative(c, InputQualityOptions.MAX_NULL_RATE_INCREASE));
        if (p.minBaselineWindows > p.baselineWindows) {
            throw new IllegalArgumentException(InputQualityOptions.MIN_BASELINE_WINDOWS.key() + " (" + p.minBaselineWindows
                    + ") must not exceed " + InputQualityOptions.BASELINE_WINDOWS.key() + " (" + p.baselineWindows + ")");
        }
        if (p.volumeRatioMin >= p.volumeRatioMax) {
            throw new IllegalArgumentException(InputQualityOptions.VOLUME_RATIO_MIN.key() + " (" + p.volumeRatioMin
                    + ") must be below " + InputQualityOptions.VOLUME_RATIO_MAX.key() + " (" + p.volumeRatioMax + ")");
        }
        return p;
    }

    /** The window in milliseconds. */
    long windowMillis() {
        return window.toMillis();
    }

    private static int atLeast(Configuration c, ConfigOption<Integer> option, int least) {
        int value = c.get(option);
        if (value < least) {
            throw new IllegalArgumentException(option.key() + " must be at least " + least + ", got " + value);
        }
        return value;
    }

    private static double notNegative(Configuration c, ConfigOption<Double> option) {
        double value = c.get(option);
        if (!(value >= 0)) {
            throw new IllegalArgumentException(option.key() + " must not be negative, got " + value);
        }
        return value;
    }
}
