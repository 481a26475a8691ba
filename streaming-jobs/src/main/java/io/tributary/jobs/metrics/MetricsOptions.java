package io.tributary.jobs.metrics;

import io.tributary.jobs.common.JobOptions;
import io.tributary.jobs.common.store.StoreRetry;
import io.tributary.jobs.common.TopicOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The options of the live-metrics job, with their defaults; {@code --help} prints them. */
public final class MetricsOptions {
    private static final String SCOPE = "metrics";

    private MetricsOptions() {}

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = JobOptions.maxOutOfOrderness(SCOPE,
            "A minute's row is first written when the watermark passes its end.");

    public static final ConfigOption<Duration> IDLENESS = JobOptions.idleness(SCOPE);

    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOptions
            .key("tributary.metrics.allowed-lateness")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("A payment or alert this far behind the watermark still updates its minute's row;"
                    + " later ones are counted in Flink's numLateRecordsDropped of the minute windows.");

    public static final ConfigOption<Duration> ALERT_JOIN_WINDOW = ConfigOptions
            .key("tributary.metrics.alert-join-window")
            .durationType()
            .defaultValue(Duration.ofHours(2))
            .withDescription("How long a payment's category and country are kept for its alerts, and event ids for"
                    + " deduplication.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = JobOptions.transactionalIdPrefix(SCOPE, LiveMetricsJob.NAME);

    public static final ConfigOption<String> POSTGRES_URL = ConfigOptions.key("tributary.postgres.url")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC URL of the dashboards' PostgreSQL database, jdbc:postgresql://host:port/database."
                    + " Required.");

    public static final ConfigOption<String> POSTGRES_USER = ConfigOptions.key("tributary.postgres.user")
            .stringType()
            .noDefaultValue()
            .withDescription("PostgreSQL user; its password comes from the environment variable "
                    + MetricsSettings.POSTGRES_PASSWORD_VARIABLE + ". Required.");

    public static final ConfigOption<Duration> POSTGRES_MAX_RETRY_TIME = StoreRetry.maxRetryTime("postgres", "PostgreSQL");

    /** Every option the job reads, for validation at start-up and for {@code --help}. */
    public static List<ConfigOption<?>> all() {
        return JobOptions.transactionalKafkaJob(MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS, ALERT_JOIN_WINDOW,
                TRANSACTIONAL_ID_PREFIX, POSTGRES_URL, POSTGRES_USER, POSTGRES_MAX_RETRY_TIME, TopicOptions.ENRICHED,
                TopicOptions.FRAUD_ALERTS, TopicOptions.DEAD_LETTERS);
    }
}
