package io.tributary.state;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Tributary's own state options: which profile, and the state time-to-live defaults. */
public final class StateOptions {
    private StateOptions() {}

    public static final ConfigOption<String> PROFILE = ConfigOptions.key("tributary.state.profile")
            .stringType()
            .defaultValue("local")
            .withDescription("State, checkpoint and restart profile the job starts from: local or production."
                    + " Any option below, and any Flink option, can override it.");

    public static final ConfigOption<Duration> DEDUP_TTL = ConfigOptions.key("tributary.state.dedup-ttl")
            .durationType()
            .defaultValue(Duration.ofHours(24))
            .withDescription("How long an event id is remembered for deduplication (processing time). A producer"
                    + " retry that comes later than this is not recognised as a duplicate.");

    public static final ConfigOption<Duration> REFERENCE_HISTORY_TTL = ConfigOptions
            .key("tributary.state.reference-history-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("How long superseded versions of an account profile are kept to enrich late-arriving"
                    + " events as of their event time (processing time).");
}
