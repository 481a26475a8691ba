package io.tributary.jobs.enrichment;

import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.jobs.pii.PiiOptions;
import io.tributary.state.StateOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.CoreOptions;

/** The options of the transactions-enrichment job, with their defaults; {@code --help} prints them. */
public final class EnrichmentOptions {
    private EnrichmentOptions() {}

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOptions
            .key("tributary.enrichment.max-out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How far behind the newest event of its partition an event may arrive and still be in"
                    + " order: the watermark trails the newest event time by this much.");

    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("tributary.enrichment.idleness")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("A partition without records for this long stops holding the watermark back.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOptions
            .key("tributary.enrichment.allowed-lateness")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("An event whose time is further behind the watermark than this goes to the late topic.");

    public static final ConfigOption<Duration> ACCOUNT_WAIT = ConfigOptions.key("tributary.enrichment.account-wait")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How long (event time) a payment of an account without a profile waits for one before"
                    + " it goes out flagged account_known=false.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions
            .key("tributary.enrichment.transactional-id-prefix")
            .stringType()
            .defaultValue("tributary-transactions-enrichment")
            .withDescription("Prefix of the Kafka transactional ids of the job's sinks; unique on the cluster and"
                    + " stable across restarts and upgrades.");

    /** Every option the job reads, for validation at start-up and for {@code --help}. */
    public static List<ConfigOption<?>> all() {
        return List.of(KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.CLIENT_PROPERTIES, KafkaOptions.GROUP_ID,
                KafkaOptions.STARTING_OFFSETS, KafkaOptions.STOP_AT_LATEST, KafkaOptions.DELIVERY_GUARANTEE,
                KafkaOptions.REGISTRY_URL,
                KafkaOptions.REGISTRY_USER, StateOptions.PROFILE, StateOptions.DEDUP_TTL,
                StateOptions.REFERENCE_HISTORY_TTL, MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS, ACCOUNT_WAIT,
                PiiOptions.MAX_FUTURE_SKEW, PiiOptions.TOKENIZATION_KEY_ENV, TRANSACTIONAL_ID_PREFIX, KafkaOptions.TRANSACTION_TIMEOUT,
                TopicOptions.TRANSACTIONS, TopicOptions.ACCOUNTS, TopicOptions.MERCHANTS, TopicOptions.FX_RATES,
                TopicOptions.ENRICHED, TopicOptions.LATE, TopicOptions.DEAD_LETTERS, CoreOptions.DEFAULT_PARALLELISM);
    }
}
