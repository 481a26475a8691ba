package io.tributary.jobs.enrichment;

import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.pii.TokenizationKeySource;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.StateOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
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

    /** The environment variable holding the registry's basic-auth password. */
    static final String REGISTRY_PASSWORD_VARIABLE = "TRIBUTARY_REGISTRY_PASSWORD";

    /** The broker's default {@code transaction.max.timeout.ms}: a longer sink timeout is refused. */
    static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /** The same settings with the key given inline: for tests and the local run, whose tasks share this JVM. */
    public EnrichmentSettings withInlineKey(TokenizationKey key) {
        return new EnrichmentSettings(bootstrapServers, kafkaClientProperties, groupId, startingOffsets, stopAtLatest,
                registry, TokenizationKeySource.inline(key), key.keyId(), maxOutOfOrderness, idleness, allowedLateness,
                accountWait, maxFutureSkew, dedupTtl, referenceHistory, deliveryGuarantee, transactionalIdPrefix,
                transactionTimeout, topics);
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
        String bootstrap = required(c.get(KafkaOptions.BOOTSTRAP_SERVERS), KafkaOptions.BOOTSTRAP_SERVERS.key());
        String registryUrl = required(c.get(KafkaOptions.REGISTRY_URL), KafkaOptions.REGISTRY_URL.key());
        SchemaRegistryConfig.Builder registry = SchemaRegistryConfig.builder(registryUrl);
        String user = c.get(KafkaOptions.REGISTRY_USER);
        if (user != null) {
            if (environment.get(REGISTRY_PASSWORD_VARIABLE) == null) {
                throw new IllegalArgumentException(KafkaOptions.REGISTRY_USER.key()
                        + " is set but the environment has no " + REGISTRY_PASSWORD_VARIABLE);
            }
            // Read again where the operators run: the password never enters the job graph.
            registry.basicAuthFromEnvironment(user, REGISTRY_PASSWORD_VARIABLE);
        }
        String keyVariable = c.get(EnrichmentOptions.TOKENIZATION_KEY_ENV);
        String key = environment.get(keyVariable);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The tokenization key is missing: set the environment variable "
                    + keyVariable + " to a base64 key of at least 32 bytes");
        }
        // Checked here to fail before submission; the operators read it again from their own environment.
        String keyId = TokenizationKey.fromBase64(key).keyId();
        Duration transactionTimeout = c.get(EnrichmentOptions.TRANSACTION_TIMEOUT);
        checkTransactionTimeout(c, transactionTimeout);
        return new EnrichmentSettings(
                bootstrap,
                Map.copyOf(c.get(KafkaOptions.CLIENT_PROPERTIES)),
                Objects.requireNonNullElse(c.get(KafkaOptions.GROUP_ID), TransactionsEnrichmentJob.NAME),
                c.get(KafkaOptions.STARTING_OFFSETS),
                c.get(KafkaOptions.STOP_AT_LATEST),
                registry.build(),
                TokenizationKeySource.environment(keyVariable),
                keyId,
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
                new Topics(c.get(EnrichmentOptions.TRANSACTIONS_TOPIC), c.get(EnrichmentOptions.ACCOUNTS_TOPIC),
                        c.get(EnrichmentOptions.MERCHANTS_TOPIC), c.get(EnrichmentOptions.FX_RATES_TOPIC),
                        c.get(EnrichmentOptions.ENRICHED_TOPIC), c.get(EnrichmentOptions.LATE_TOPIC),
                        c.get(EnrichmentOptions.DEAD_LETTER_TOPIC)));
    }

    /**
     * A sink transaction must outlive the longest checkpoint plus a restart, or the broker aborts it
     * and committed output is lost; and the broker refuses one longer than its maximum.
     */
    private static void checkTransactionTimeout(Configuration c, Duration timeout) {
        if (timeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException(EnrichmentOptions.TRANSACTION_TIMEOUT.key() + " (" + timeout
                    + ") exceeds the broker's default transaction.max.timeout.ms of 15 min");
        }
        Duration needed = c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)
                .plus(c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
        if (timeout.compareTo(needed) <= 0) {
            throw new IllegalArgumentException(EnrichmentOptions.TRANSACTION_TIMEOUT.key() + " (" + timeout
                    + ") must exceed the checkpoint timeout plus the longest restart delay (" + needed + ")");
        }
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing required option " + key);
        }
        return value;
    }

    private static Duration positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
        return d;
    }

    private static Duration notNegative(String key, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, got " + d);
        }
        return d;
    }
}
