package io.tributary.jobs.common;

import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.SettingException;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * What every job checks when it reads its settings, each failing with one clear line
 * ({@link IllegalArgumentException}; a {@link SettingException}, which names the option's key, for
 * an option that is missing or whose value cannot be used).
 */
public final class SettingChecks {
    /** The environment variable holding the registry's basic-auth password. */
    public static final String REGISTRY_PASSWORD_VARIABLE = "TRIBUTARY_REGISTRY_PASSWORD";

    /** The broker's default {@code transaction.max.timeout.ms}: a longer sink timeout is refused. */
    public static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private SettingChecks() {}

    /** The registry of the configuration; its password, if a user is set, is read where the operators run. */
    public static SchemaRegistryConfig registry(Configuration c, Map<String, String> environment) {
        String url = required(c.get(KafkaOptions.REGISTRY_URL), KafkaOptions.REGISTRY_URL.key());
        SchemaRegistryConfig.Builder registry;
        try {
            registry = SchemaRegistryConfig.builder(url);
        } catch (IllegalArgumentException e) {
            // Says which option, so that the command line can name its flag.
            throw new SettingException("Invalid ", KafkaOptions.REGISTRY_URL.key(), ": " + e.getMessage(), e);
        }
        String user = c.get(KafkaOptions.REGISTRY_USER);
        if (user != null) {
            if (environment.get(REGISTRY_PASSWORD_VARIABLE) == null) {
                throw new IllegalArgumentException(KafkaOptions.REGISTRY_USER.key()
                        + " is set but the environment has no " + REGISTRY_PASSWORD_VARIABLE);
            }
            // Read again where the operators run: the password never enters the job graph.
            registry.basicAuthFromEnvironment(user, REGISTRY_PASSWORD_VARIABLE);
        }
        return registry.build();
    }

    /**
     * The sinks' transaction timeout, checked: a transaction must outlive the longest checkpoint plus
     * a restart, or the broker aborts it and committed output is lost; and the broker refuses one
     * longer than its maximum.
     */
    public static Duration transactionTimeout(Configuration c) {
        Duration timeout = c.get(KafkaOptions.TRANSACTION_TIMEOUT);
        if (timeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException(KafkaOptions.TRANSACTION_TIMEOUT.key() + " (" + timeout
                    + ") exceeds the broker's default transaction.max.timeout.ms of 15 min");
        }
        Duration needed = c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)
                .plus(c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
        if (timeout.compareTo(needed) <= 0) {
            throw new IllegalArgumentException(KafkaOptions.TRANSACTION_TIMEOUT.key() + " (" + timeout
                    + ") must exceed the checkpoint timeout plus the longest restart delay (" + needed + ")");
        }
        return timeout;
    }

    /** The value of the option {@code key}, which must be set and not blank. */
    public static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw SettingException.missing(key);
        }
        return value;
    }

    /** The option's value, which must be set and not blank. */
    public static String required(Configuration c, ConfigOption<String> option) {
        return required(c.get(option), option.key());
    }

    /** The option's value, which must be above zero. */
    public static Duration positive(Configuration c, ConfigOption<Duration> option) {
        return positive(option.key(), c.get(option));
    }

    /** The option's value, which must not be below zero. */
    public static Duration notNegative(Configuration c, ConfigOption<Duration> option) {
        return notNegative(option.key(), c.get(option));
    }

    public static Duration positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
        return d;
    }

    public static Duration notNegative(String key, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, got " + d);
        }
        return d;
    }
}
