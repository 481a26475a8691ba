package io.tributary.jobs.fraud;

import io.tributary.jobs.common.JobOptions;
import io.tributary.jobs.common.store.StoreRetry;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.state.StateOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The options of the fraud-detection job, with their defaults; {@code --help} prints them. */
public final class FraudOptions {
    private static final String SCOPE = "fraud";

    private FraudOptions() {}

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = JobOptions.maxOutOfOrderness(SCOPE,
            "Payments are held this long before they are scored in event-time order, so it adds to the alert latency"
            + " (unless tributary.fraud.alert-delivery is low-latency, which scores each on arrival).");

    public static final ConfigOption<Duration> IDLENESS = JobOptions.idleness(SCOPE);

    public static final ConfigOption<AlertDelivery> ALERT_DELIVERY = ConfigOptions
            .key("tributary.fraud.alert-delivery")
            .enumType(AlertDelivery.class)
            .defaultValue(AlertDelivery.EXACTLY_ONCE)
            .withDescription("exactly-once: payments are read read_committed and scored in event-time order once the"
                    + " watermark passes them, alerts written in Kafka transactions: each alert once, seconds after"
                    + " its payment. low-latency: payments are read as they are written (read_uncommitted) and scored"
                    + " on arrival, alerts written without transactions: within a fraction of a second, at least"
                    + " once (a restart repeats an alert under the same alert_id, which consumers dedupe), features"
                    + " in arrival order. Dead letters follow tributary.kafka.delivery-guarantee either way.");

    public static final ConfigOption<Duration> MAX_VELOCITY_WINDOW = ConfigOptions
            .key("tributary.fraud.max-velocity-window")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("The longest window a VELOCITY rule may have: each card keeps the times of its payments"
                    + " this far back. A rule with a longer window goes to the DLQ.");

    public static final ConfigOption<Duration> CARD_RETENTION = ConfigOptions
            .key("tributary.fraud.card-retention")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("A card idle this long is forgotten: its amount profile and last location are dropped.");

    public static final ConfigOption<Duration> DEVICE_MEMORY = ConfigOptions
            .key("tributary.fraud.device-memory")
            .durationType()
            .defaultValue(Duration.ofDays(90))
            .withDescription("A device unused by an account for this long is new to it again.");

    public static final ConfigOption<Duration> ALERT_MEMORY = ConfigOptions
            .key("tributary.fraud.alert-memory")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("How long an alert id is remembered: a replay within it never repeats an alert.");

    public static final ConfigOption<Duration> RULES_AT_START_TIMEOUT = ConfigOptions
            .key("tributary.fraud.rules-at-start-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("On a fresh start each subtask of the card stage reads the rules topic to its end before it"
                    + " scores a payment; if that takes longer, it fails to start (and the job restarts).");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = JobOptions.transactionalIdPrefix(SCOPE, FraudDetectionJob.NAME);

    public static final ConfigOption<String> REDIS_HOST = ConfigOptions.key("tributary.redis.host")
            .stringType()
            .noDefaultValue()
            .withDescription("Host of the Redis server that holds the features for the scoring services. Required.");

    public static final ConfigOption<Integer> REDIS_PORT = ConfigOptions.key("tributary.redis.port")
            .intType()
            .defaultValue(6379)
            .withDescription("Port of the Redis server.");

    public static final ConfigOption<Integer> REDIS_DATABASE = ConfigOptions.key("tributary.redis.database")
            .intType()
            .defaultValue(0)
            .withDescription("Logical Redis database of the feature hashes.");

    public static final ConfigOption<Boolean> REDIS_TLS = ConfigOptions.key("tributary.redis.tls")
            .booleanType()
            .defaultValue(false)
            .withDescription("Connect to Redis with TLS. The server must present a certificate that chains to a CA"
                    + " of tributary.redis.tls-ca-file (or, without it, of the JVM's default trust store) and names"
                    + " tributary.redis.host; a certificate for another name is refused.");

    public static final ConfigOption<String> REDIS_TLS_CA_FILE = ConfigOptions.key("tributary.redis.tls-ca-file")
            .stringType()
            .noDefaultValue()
            .withDescription("PEM file of the CA certificates that may sign the Redis server's certificate (e.g. a"
                    + " mounted Secret's ca.crt); only these are trusted. Needs tributary.redis.tls.");

    public static final ConfigOption<String> REDIS_USER = ConfigOptions.key("tributary.redis.user")
            .stringType()
            .noDefaultValue()
            .withDescription("Redis ACL user; the password comes from the environment variable "
                    + FraudSettings.REDIS_PASSWORD_VARIABLE + ", which alone authenticates as the default user.");

    public static final ConfigOption<String> REDIS_KEY_PREFIX = ConfigOptions.key("tributary.redis.key-prefix")
            .stringType()
            .defaultValue("tributary:features:")
            .withDescription("Prefix of the feature hashes' keys: <prefix>card:<card token>, <prefix>account:<account id>.");

    public static final ConfigOption<Duration> REDIS_FEATURE_TTL = ConfigOptions.key("tributary.redis.feature-ttl")
            .durationType()
            .defaultValue(Duration.ofHours(48))
            .withDescription("A feature hash expires this long after its last write.");

    public static final ConfigOption<Duration> REDIS_MAX_RETRY_TIME = StoreRetry.maxRetryTime("redis", "Redis");

    /** Every option the job reads, for validation at start-up and for {@code --help}. */
    public static List<ConfigOption<?>> all() {
        return JobOptions.transactionalKafkaJob(StateOptions.DEDUP_TTL, MAX_OUT_OF_ORDERNESS, IDLENESS, ALERT_DELIVERY,
                MAX_VELOCITY_WINDOW, CARD_RETENTION, DEVICE_MEMORY, ALERT_MEMORY, RULES_AT_START_TIMEOUT, TRANSACTIONAL_ID_PREFIX, TopicOptions.ENRICHED,
                TopicOptions.FRAUD_RULES, TopicOptions.FRAUD_ALERTS, TopicOptions.DEAD_LETTERS, TopicOptions.ERASURE_REQUESTS, REDIS_HOST, REDIS_PORT,
                REDIS_DATABASE, REDIS_TLS, REDIS_TLS_CA_FILE, REDIS_USER, REDIS_KEY_PREFIX, REDIS_FEATURE_TTL, REDIS_MAX_RETRY_TIME);
    }
}
