package io.tributary.jobs.metrics;

import static io.tributary.jobs.common.SettingChecks.notNegative;
import static io.tributary.jobs.common.SettingChecks.positive;
import static io.tributary.jobs.common.SettingChecks.required;

import io.tributary.jobs.common.KafkaDelivery;
import io.tributary.jobs.common.KafkaSettings;
import io.tributary.jobs.common.TopicOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The live-metrics job's configuration, read once from the Flink configuration and checked.
 * Serializable, as parts of it travel with the operators.
 */
public record MetricsSettings(
        KafkaSettings kafka,
        KafkaDelivery delivery,
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration alertJoinWindow,
        Topics topics,
        Postgres postgres) implements Serializable {

    /** The environment variable holding the PostgreSQL password. */
    public static final String POSTGRES_PASSWORD_VARIABLE = "TRIBUTARY_POSTGRES_PASSWORD";

    /** The physical topic names. */
    public record Topics(String enriched, String alerts, String deadLetters) implements Serializable {}

    /** The dashboards' database; {@code passwordVariable} is null when the environment has no password. */
    public record Postgres(String jdbcUrl, String user, String passwordVariable, Duration maxRetryTime)
            implements Serializable {}

    /**
     * Reads and checks the settings.
     *
     * @param environment where the registry and PostgreSQL passwords are looked up
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    public static MetricsSettings from(Configuration c, Map<String, String> environment) {
        String url = required(c, MetricsOptions.POSTGRES_URL);
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(MetricsOptions.POSTGRES_URL.key()
                    + " must start with jdbc:postgresql://, got " + url);
        }
        return new MetricsSettings(
                KafkaSettings.from(c, environment, LiveMetricsJob.NAME),
                KafkaDelivery.from(c, MetricsOptions.TRANSACTIONAL_ID_PREFIX),
                positive(c, MetricsOptions.MAX_OUT_OF_ORDERNESS),
                positive(c, MetricsOptions.IDLENESS),
                notNegative(c, MetricsOptions.ALLOWED_LATENESS),
                positive(c, MetricsOptions.ALERT_JOIN_WINDOW),
                new Topics(c.get(TopicOptions.ENRICHED), c.get(TopicOptions.FRAUD_ALERTS), c.get(TopicOptions.DEAD_LETTERS)),
                new Postgres(url, required(c, MetricsOptions.POSTGRES_USER),
                        environment.get(POSTGRES_PASSWORD_VARIABLE) == null ? null : POSTGRES_PASSWORD_VARIABLE,
                        positive(c, MetricsOptions.POSTGRES_MAX_RETRY_TIME)));
    }
}
