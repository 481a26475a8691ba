package io.tributary.jobs.metrics;

import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.state.StateOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.CoreOptions;

/** The options of the live-metrics job, with their defaults; {@code --help} prints them. */
public final class MetricsOptions {
    private MetricsOptions() {}

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOptions
            .key("tributary.metrics.max-out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How far behind the newest payment of its partition a payment may arrive and still be"
                    + " counted before its minute is first written.");

    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("tributary.metrics.idleness")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("A partition without records for this long stops holding the watermark back.");

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

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions
            .key("tributary.metrics.transactional-id-prefix")
            .stringType()
            .defaultValue("tributary-live-metrics")
            .withDescription("Prefix of the Kafka transactional ids of the job's dead-letter sink; unique on the"
                    + " cluster and stable across restarts and upgrades.");

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

    public static final ConfigOption<Duration> POSTGRES_MAX_RETRY_TIME = ConfigOptions
            .key("tributary.postgres.max-retry-time")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How long a write keeps retrying an unreachable PostgreSQL (the job waits meanwhile)"
                    + " before the job fails and restarts from its last checkpoint.");

    /** Every option the job reads, for validation at start-up and for {@code --help}. */
    public static List<ConfigOption<?>> all() {
        return List.of(KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.CLIENT_PROPERTIES, KafkaOptions.GROUP_ID,
                KafkaOptions.STARTING_OFFSETS, KafkaOptions.STOP_AT_LATEST, KafkaOptions.DELIVERY_GUARANTEE,
                KafkaOptions.REGISTRY_URL, KafkaOptions.REGISTRY_USER, KafkaOptions.TRANSACTION_TIMEOUT,
                StateOptions.PROFILE, MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS, ALERT_JOIN_WINDOW,
                TRANSACTIONAL_ID_PREFIX, POSTGRES_URL, POSTGRES_USER, POSTGRES_MAX_RETRY_TIME, TopicOptions.ENRICHED,
                TopicOptions.FRAUD_ALERTS, TopicOptions.DEAD_LETTERS, CoreOptions.DEFAULT_PARALLELISM);
    }
}
