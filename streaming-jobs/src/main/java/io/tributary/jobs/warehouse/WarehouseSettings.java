package io.tributary.jobs.warehouse;

import static io.tributary.jobs.common.SettingChecks.positive;

import io.tributary.jobs.common.JobSecrets;
import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.KafkaSettings;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.jobs.pii.PiiOptions;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.jobs.pii.TokenizationKeySource;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The warehouse-sink job's configuration, read once and checked. Serializable: parts travel with the operators. */
public record WarehouseSettings(
        KafkaSettings kafka,
        TokenizationKeySource tokenizationKey,
        Duration maxFutureSkew,
        Duration maxOutOfOrderness,
        Duration idleness,
        Topics topics,
        WarehouseCatalog catalog) implements Serializable {

    /** The physical topic names. */
    public record Topics(String transactions, String accounts, String merchants, String fxRates, String enriched,
            String alerts) implements Serializable {}

    /**
     * Reads and checks the settings.
     *
     * @param environment where the tokenization key and registry password are looked up
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    public static WarehouseSettings from(Configuration c, Map<String, String> environment) {
        return from(c, JobSecrets.fromEnvironment(environment));
    }

    /**
     * Reads and checks the settings.
     *
     * @param secrets where the tokenization key and registry password come from
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    public static WarehouseSettings from(Configuration c, JobSecrets secrets) {
        KafkaSettings kafka = KafkaSettings.from(c, secrets.environment(), WarehouseSinkJob.NAME);
        JobSecrets.Key key = secrets.tokenizationKey(c.get(PiiOptions.TOKENIZATION_KEY_ENV));
        if (c.get(KafkaOptions.STOP_AT_LATEST)) {
            // Seen here: after a restart, a bounded run's last files were never committed (Iceberg 1.11
            // on Flink 2.1), losing rows. A stream never reaches that path; stop it with a savepoint.
            throw new IllegalArgumentException(WarehouseSinkJob.NAME + " does not run bounded ("
                    + KafkaOptions.STOP_AT_LATEST.key() + "): the Iceberg sink's end-of-input commit is not safe"
                    + " across a restart; run it as a stream and stop it with a savepoint");
        }
        return new WarehouseSettings(
                kafka,
                key.source(),
                positive(c, PiiOptions.MAX_FUTURE_SKEW),
                positive(c, WarehouseOptions.MAX_OUT_OF_ORDERNESS),
                positive(c, WarehouseOptions.IDLENESS),
                new Topics(c.get(TopicOptions.TRANSACTIONS), c.get(TopicOptions.ACCOUNTS), c.get(TopicOptions.MERCHANTS),
                        c.get(TopicOptions.FX_RATES), c.get(TopicOptions.ENRICHED), c.get(TopicOptions.FRAUD_ALERTS)),
                catalog(c, secrets));
    }

    private static WarehouseCatalog catalog(Configuration c, JobSecrets secrets) {
        WarehouseCatalog catalog = WarehouseCatalog.from(c);
        catalog.requireCredential(secrets.environment());
        return catalog;
    }

    /** The same settings with the key given inline: for tests and the local run, whose tasks share this JVM. */
    public WarehouseSettings withInlineKey(TokenizationKey key) {
        return new WarehouseSettings(kafka, TokenizationKeySource.inline(key), maxFutureSkew, maxOutOfOrderness,
                idleness, topics, catalog);
    }
}
