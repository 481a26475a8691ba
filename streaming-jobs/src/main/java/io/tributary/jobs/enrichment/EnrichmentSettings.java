package io.tributary.jobs.enrichment;

import static io.tributary.jobs.common.SettingChecks.notNegative;
import static io.tributary.jobs.common.SettingChecks.positive;
import static io.tributary.jobs.common.SettingChecks.required;

import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.SettingChecks;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.pii.TokenizationKeySource;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.StateOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The enrichment job's configuration, read once from the Flink configuration and checked: what the
 * job wires itself from. Serializable, as parts of it travel with the operators.
 */
public record EnrichmentSettings(
        String bootstrapServers,
        Map<String, String> kafkaClientProperties,
        String groupId,
        KafkaOptions.StartingOffsets startingOffsets,
        boolean stopAtLatest,
        SchemaRegistryConfig registry,
        TokenizationKeySource tokenizationKey,
        String tokenizationKeyId,
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration accountWait,
        Duration maxFutureSkew,
        Duration dedupTtl,
        Duration referenceHistory,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Topics topics) implements Serializable {

    /** The same settings with the key given inline: for tests and the local run, whose tasks share this JVM. */
    public EnrichmentSettings withInlineKey(TokenizationKey key) {
        return new EnrichmentSettings(bootstrapServers, kafkaClientProperties, groupId, startingOffsets, stopAtLatest,
                registry, TokenizationKeySource.inline(key), key.keyId(), maxOutOfOrderness, idleness, allowedLateness,
                accountWait, maxFutureSkew, dedupTtl, referenceHistory, deliveryGuarantee, transactionalIdPrefix,
                transactionTimeout, topics);
    }

    /**
     * The settings of the transformations alone (deduplication, lateness, enrichment), for the
     * backfill, which runs them over warehouse tables: no Kafka, no key (its input is already masked).
     *
     * @param referenceHistory how far back FX rates are kept: the backfill needs its whole range
     */
    public static EnrichmentSettings transformationsOnly(Configuration c, Duration referenceHistory) {
        return new EnrichmentSettings(null, Map.of(), TransactionsEnrichmentJob.NAME, KafkaOptions.StartingOffsets.EARLIEST,
                true, null, null, null,
                positive(EnrichmentOptions.MAX_OUT_OF_ORDERNESS.key(), c.get(EnrichmentOptions.MAX_OUT_OF_ORDERNESS)),
                positive(EnrichmentOptions.IDLENESS.key(), c.get(EnrichmentOptions.IDLENESS)),
                notNegative(EnrichmentOptions.ALLOWED_LATENESS.key(), c.get(EnrichmentOptions.ALLOWED_LATENESS)),
                notNegative(EnrichmentOptions.ACCOUNT_WAIT.key(), c.get(EnrichmentOptions.ACCOUNT_WAIT)),
                positive(EnrichmentOptions.MAX_FUTURE_SKEW.key(), c.get(EnrichmentOptions.MAX_FUTURE_SKEW)),
                positive(StateOptions.DEDUP_TTL.key(), c.get(StateOptions.DEDUP_TTL)),
                positive(StateOptions.REFERENCE_HISTORY_TTL.key(), referenceHistory),
                null, null, null, null);
    }

    /** The physical topic names. */
    public record Topics(String transactions, String accounts, String merchants, String fxRates, String enriched,
            String late, String deadLetters) implements Serializable {}

    /**
     * Reads and checks the settings.
     *
     * @param environment where the tokenization key and registry password are looked up
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    public static EnrichmentSettings from(Configuration c, Map<String, String> environment) {
        return from(c, JobSecrets.fromEnvironment(environment));
    }

    /**
     * Reads and checks the settings.
     *
     * @param secrets where the tokenization key and registry password come from
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    public static EnrichmentSettings from(Configuration c, JobSecrets secrets) {
        String bootstrap = required(c.get(KafkaOptions.BOOTSTRAP_SERVERS), KafkaOptions.BOOTSTRAP_SERVERS.key());
        JobSecrets.Key key = secrets.tokenizationKey(c.get(EnrichmentOptions.TOKENIZATION_KEY_ENV));
        Duration transactionTimeout = SettingChecks.transactionTimeout(c);
        return new EnrichmentSettings(
                bootstrap,
                Map.copyOf(c.get(KafkaOptions.CLIENT_PROPERTIES)),
                Objects.requireNonNullElse(c.get(KafkaOptions.GROUP_ID), TransactionsEnrichmentJob.NAME),
                c.get(KafkaOptions.STARTING_OFFSETS),
                c.get(KafkaOptions.STOP_AT_LATEST),
                SettingChecks.registry(c, secrets.environment()),
                key.source(),
                key.keyId(),
                positive(EnrichmentOptions.MAX_OUT_OF_ORDERNESS.key(), c.get(EnrichmentOptions.MAX_OUT_OF_ORDERNESS)),
                positive(EnrichmentOptions.IDLENESS.key(), c.get(EnrichmentOptions.IDLENESS)),
                notNegative(EnrichmentOptions.ALLOWED_LATENESS.key(), c.get(EnrichmentOptions.ALLOWED_LATENESS)),
                notNegative(EnrichmentOptions.ACCOUNT_WAIT.key(), c.get(EnrichmentOptions.ACCOUNT_WAIT)),
                positive(EnrichmentOptions.MAX_FUTURE_SKEW.key(), c.get(EnrichmentOptions.MAX_FUTURE_SKEW)),
                positive(StateOptions.DEDUP_TTL.key(), c.get(StateOptions.DEDUP_TTL)),
                positive(StateOptions.REFERENCE_HISTORY_TTL.key(), c.get(StateOptions.REFERENCE_HISTORY_TTL)),
                c.get(KafkaOptions.DELIVERY_GUARANTEE),
                required(c.get(EnrichmentOptions.TRANSACTIONAL_ID_PREFIX), EnrichmentOptions.TRANSACTIONAL_ID_PREFIX.key()),
                transactionTimeout,
                new Topics(c.get(TopicOptions.TRANSACTIONS), c.get(TopicOptions.ACCOUNTS),
                        c.get(TopicOptions.MERCHANTS), c.get(TopicOptions.FX_RATES), c.get(TopicOptions.ENRICHED),
                        c.get(TopicOptions.LATE), c.get(TopicOptions.DEAD_LETTERS)));
    }
}
