package io.tributary.jobs.enrichment;

import io.tributary.jobs.common.JobOptions;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.jobs.enrichment.quality.InputQualityOptions;
import io.tributary.jobs.pii.PiiOptions;
import io.tributary.state.StateOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The options of the transactions-enrichment job, with their defaults; {@code --help} prints them. */
public final class EnrichmentOptions {
    private static final String SCOPE = "enrichment";

    private EnrichmentOptions() {}

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = JobOptions.maxOutOfOrderness(SCOPE,
            "Events behind it by more than the allowed lateness go to the late topic.");

    public static final ConfigOption<Duration> IDLENESS = JobOptions.idleness(SCOPE);

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

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = JobOptions.transactionalIdPrefix(SCOPE,
            TransactionsEnrichmentJob.NAME);

    /** Every option the job reads, for validation at start-up and for {@code --help}. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(JobOptions.transactionalKafkaJob(StateOptions.DEDUP_TTL, StateOptions.REFERENCE_HISTORY_TTL, MAX_OUT_OF_ORDERNESS,
                IDLENESS, ALLOWED_LATENESS, ACCOUNT_WAIT, PiiOptions.MAX_FUTURE_SKEW, PiiOptions.TOKENIZATION_KEY_ENV,
                TRANSACTIONAL_ID_PREFIX, TopicOptions.TRANSACTIONS, TopicOptions.ACCOUNTS, TopicOptions.MERCHANTS,
                TopicOptions.FX_RATES, TopicOptions.ENRICHED, TopicOptions.LATE, TopicOptions.DEAD_LETTERS));
        all.addAll(InputQualityOptions.all());
        return List.copyOf(all);
    }
}
