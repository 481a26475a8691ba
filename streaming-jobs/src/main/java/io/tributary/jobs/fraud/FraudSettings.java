package io.tributary.jobs.fraud;

import static io.tributary.jobs.common.SettingChecks.positive;
import static io.tributary.jobs.common.SettingChecks.required;

import io.tributary.jobs.common.KafkaDelivery;
import io.tributary.jobs.common.KafkaSettings;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.state.StateOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The fraud-detection job's configuration, read once from the Flink configuration and checked.
 * Serializable, as parts of it travel with the operators.
 */
public record FraudSettings(
        KafkaSettings kafka,
        KafkaDelivery delivery,
        Duration maxOutOfOrderness,
        Duration idleness,
        AlertDelivery alertDelivery,
        Duration dedupTtl,
        Duration maxVelocityWindow,
        Duration cardRetention,
        Duration deviceMemory,
        Duration alertMemory,
        Duration rulesAtStartTimeout,
        Topics topics,
        Redis redis) implements Serializable {

    /** The environment variable holding the Redis password. */
    public static final String REDIS_PASSWORD_VARIABLE = "TRIBUTARY_REDIS_PASSWORD";

    /** The physical topic names. */
    public record Topics(String enriched, String rules, String alerts, String deadLetters, String erasureRequests)
            implements Serializable {}

    /**
     * Where the features go; {@code passwordVariable} is null when Redis needs no password,
     * {@code tlsCaFile} when TLS trusts the JVM's default CAs (or TLS is off).
     */
    public record Redis(String host, int port, int database, boolean tls, String tlsCaFile, String user,
            String passwordVariable,
            String keyPrefix, Duration featureTtl, Duration maxRetryTime) implements Serializable {}

    /**
     * Reads and checks the settings.
     *
     * @param environment where the registry password is looked up
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    public static FraudSettings from(Configuration c, Map<String, String> environment) {
        Duration maxVelocityWindow = positive(c, FraudOptions.MAX_VELOCITY_WINDOW);
        Duration cardRetention = positive(c, FraudOptions.CARD_RETENTION);
        if (cardRetention.compareTo(maxVelocityWindow) < 0) {
            throw new IllegalArgumentException(FraudOptions.CARD_RETENTION.key() + " (" + cardRetention
                    + ") must be at least " + FraudOptions.MAX_VELOCITY_WINDOW.key() + " (" + maxVelocityWindow + ")");
        }
        return new FraudSettings(
                KafkaSettings.from(c, environment, FraudDetectionJob.NAME),
                KafkaDelivery.from(c, FraudOptions.TRANSACTIONAL_ID_PREFIX),
                positive(c, FraudOptions.MAX_OUT_OF_ORDERNESS),
                positive(c, FraudOptions.IDLENESS),
                c.get(FraudOptions.ALERT_DELIVERY),
                positive(c, StateOptions.DEDUP_TTL),
                maxVelocityWindow,
                cardRetention,
                positive(c, FraudOptions.DEVICE_MEMORY),
                positive(c, FraudOptions.ALERT_MEMORY),
                positive(c, FraudOptions.RULES_AT_START_TIMEOUT),
                new Topics(c.get(TopicOptions.ENRICHED), c.get(TopicOptions.FRAUD_RULES), c.get(TopicOptions.FRAUD_ALERTS),
                        c.get(TopicOptions.DEAD_LETTERS), c.get(TopicOptions.ERASURE_REQUESTS)),
                redis(c, environment));
    }

    /** The Redis settings alone, checked as the job checks them: for the erasure command. */
    public static Redis redis(Configuration c, Map<String, String> environment) {
        String user = c.get(FraudOptions.REDIS_USER);
        boolean password = environment.get(REDIS_PASSWORD_VARIABLE) != null;
        if (user != null && !password) {
            throw new IllegalArgumentException(FraudOptions.REDIS_USER.key() + " is set but the environment has no "
                    + REDIS_PASSWORD_VARIABLE);
        }
        int port = c.get(FraudOptions.REDIS_PORT);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(FraudOptions.REDIS_PORT.key() + " must be 1 to 65535, got " + port);
        }
        boolean tls = c.get(FraudOptions.REDIS_TLS);
        String tlsCaFile = c.get(FraudOptions.REDIS_TLS_CA_FILE);
        if (tlsCaFile != null && !tls) {
            throw new IllegalArgumentException(FraudOptions.REDIS_TLS_CA_FILE.key() + " is set but "
                    + FraudOptions.REDIS_TLS.key() + " is false: the CA would never be used");
        }
        return new Redis(required(c, FraudOptions.REDIS_HOST), port,
                c.get(FraudOptions.REDIS_DATABASE), tls, tlsCaFile, user,
                password ? REDIS_PASSWORD_VARIABLE : null, c.get(FraudOptions.REDIS_KEY_PREFIX),
                positive(c, FraudOptions.REDIS_FEATURE_TTL),
                positive(c, FraudOptions.REDIS_MAX_RETRY_TIME));
    }
}
