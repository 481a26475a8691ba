package io.tributary.jobs.enrichment;

import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.KafkaDelivery;
import io.tributary.jobs.common.KafkaSettings;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.jobs.enrichment.quality.InputQualityParameters;
import io.tributary.jobs.pii.PiiOptions;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.pii.TokenizationKeySource;
import java.io.Serializable;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The enrichment job's configuration, read once from the Flink configuration and checked: what the
 * job wires itself from. Serializable, as parts of it travel with the operators.
 *
 * @param kafka how it reaches Kafka and the registry
 * @param delivery how it writes its three topics
 * @param tokenizationKey where its source's operators load the tokenization key
 * @param tokenizationKeyId the key's id, for the start-up line
 * @param parameters the transformations' parameters, which the backfill shares
 * @param quality the input-quality monitors' window, baseline and bounds (the stream's only)
 * @param topics the physical topic names
 */
public record EnrichmentSettings(
        KafkaSettings kafka,
        KafkaDelivery delivery,
        TokenizationKeySource tokenizationKey,
        String tokenizationKeyId,
        EnrichmentParameters parameters,
        InputQualityParameters quality,
        Topics topics) implements Serializable {

    /** The same settings with the key given inline: for tests, whose tasks share this JVM. */
    public EnrichmentSettings withInlineKey(TokenizationKey key) {
        return new EnrichmentSettings(kafka, delivery, TokenizationKeySource.inline(key), key.keyId(), parameters, quality, topics);
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
        KafkaSettings kafka = KafkaSettings.from(c, secrets.environment(), TransactionsEnrichmentJob.NAME);
        JobSecrets.Key key = secrets.tokenizationKey(c.get(PiiOptions.TOKENIZATION_KEY_ENV));
        return new EnrichmentSettings(
                kafka,
                KafkaDelivery.from(c, EnrichmentOptions.TRANSACTIONAL_ID_PREFIX),
                key.source(),
                key.keyId(),
                EnrichmentParameters.from(c),
                InputQualityParameters.from(c),
                new Topics(c.get(TopicOptions.TRANSACTIONS), c.get(TopicOptions.ACCOUNTS),
                        c.get(TopicOptions.MERCHANTS), c.get(TopicOptions.FX_RATES), c.get(TopicOptions.ENRICHED),
                        c.get(TopicOptions.LATE), c.get(TopicOptions.DEAD_LETTERS)));
    }
}
