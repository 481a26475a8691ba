package io.tributary.jobs.enrichment;

import static io.tributary.jobs.common.SettingChecks.notNegative;
import static io.tributary.jobs.common.SettingChecks.positive;

import io.tributary.jobs.pii.PiiOptions;
import io.tributary.state.StateOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The parameters of the enrichment's transformations (watermarks, lateness, deduplication, how
 * long reference data is kept), shared by the stream and the backfill, which runs the same
 * transformations over warehouse tables.
 */
public record EnrichmentParameters(
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration accountWait,
        Duration maxFutureSkew,
        Duration dedupTtl,
        Duration referenceHistory) implements Serializable {

    /** Reads and checks the parameters. */
    public static EnrichmentParameters from(Configuration c) {
        return from(c, c.get(StateOptions.REFERENCE_HISTORY_TTL));
    }

    /**
     * Reads and checks the parameters, with {@code referenceHistory} instead of the configured one:
     * a backfill needs FX rates from its whole range.
     */
    public static EnrichmentParameters from(Configuration c, Duration referenceHistory) {
        return new EnrichmentParameters(
                positive(c, EnrichmentOptions.MAX_OUT_OF_ORDERNESS),
                positive(c, EnrichmentOptions.IDLENESS),
                notNegative(c, EnrichmentOptions.ALLOWED_LATENESS),
                notNegative(c, EnrichmentOptions.ACCOUNT_WAIT),
                positive(c, PiiOptions.MAX_FUTURE_SKEW),
                positive(c, StateOptions.DEDUP_TTL),
                positive(StateOptions.REFERENCE_HISTORY_TTL.key(), referenceHistory));
    }
}
