package io.tributary.jobs.common;

import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.SettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.util.TimeUtils;

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

    /**
     * The registry of the configuration. Its password (with a user) or token (with a token variable)
     * is read again where the operators run, so it never enters the job graph; here the environment
     * only has to hold it. Credentials over http:// are refused unless allowed for a local registry.
     */
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
        String tokenVariable = c.get(KafkaOptions.REGISTRY_TOKEN_ENV);
        if (user != null && tokenVariable != null) {
            throw new IllegalArgumentException("Set either " + KafkaOptions.REGISTRY_USER.key() + " or "
                    + KafkaOptions.REGISTRY_TOKEN_ENV.key() + ", not both");
        }
        boolean credentials = user != null || tokenVariable != null;
        if (credentials && !url.strip().startsWith("https://") && !c.get(KafkaOptions.REGISTRY_ALLOW_INSECURE_AUTH)) {
            throw new SettingException("Refusing to send the registry's credentials over plain http: ",
                    KafkaOptions.REGISTRY_URL.key(), " is " + url + "; use https:// (with "
                    + KafkaOptions.REGISTRY_TLS_CA_FILE.key() + " for a private CA), or set "
                    + KafkaOptions.REGISTRY_ALLOW_INSECURE_AUTH.key() + "=true for a registry on this machine", null);
        }
        if (user != null) {
            requireVariable(environment, REGISTRY_PASSWORD_VARIABLE, KafkaOptions.REGISTRY_USER.key());
            registry.basicAuthFromEnvironment(user, REGISTRY_PASSWORD_VARIABLE);
        }
        if (tokenVariable != null) {
            requireVariable(environment, tokenVariable, KafkaOptions.REGISTRY_TOKEN_ENV.key());
            registry.bearerTokenFromEnvironment(tokenVariable);
        }
        registry.allowInsecureAuth(c.get(KafkaOptions.REGISTRY_ALLOW_INSECURE_AUTH));
        String caFile = c.get(KafkaOptions.REGISTRY_TLS_CA_FILE);
        if (caFile != null) {
            if (!url.strip().startsWith("https://")) {
                throw new SettingException("", KafkaOptions.REGISTRY_TLS_CA_FILE.key(), " is set but "
                        + KafkaOptions.REGISTRY_URL.key() + " is not https://: the CA would never be used");
            }
            // Read where the operators run, which mount it: not necessarily here.
            registry.caCertificates(Path.of(caFile));
        }
        try {
            registry.maxIdLag(c.get(KafkaOptions.REGISTRY_MAX_ID_LAG));
        } catch (IllegalArgumentException e) {
            throw new SettingException("Invalid ", KafkaOptions.REGISTRY_MAX_ID_LAG.key(), ": " + e.getMessage(), e);
        }
        registry.unknownIdRetryTime(positive(c, KafkaOptions.REGISTRY_MAX_RETRY_TIME));
        registry.unknownIdCacheTime(positive(c, KafkaOptions.REGISTRY_UNKNOWN_ID_CACHE_TIME));
        return registry.build();
    }

    private static void requireVariable(Map<String, String> environment, String variable, String option) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is set but the environment has no " + variable);
        }
    }

    /**
     * What a restarted job needs besides its restart delay before its committer commits a restored
     * transaction: new TaskManager pods scheduled and started, state restored. Three minutes covers
     * this project's jobs; one whose restore takes longer must shorten its checkpoint timeout.
     */
    public static final Duration RECOVERY_ALLOWANCE = Duration.ofMinutes(3);

    /** The options {@link #transactionTimeout} reads: whoever sets them must set them where it sees them. */
    public static final List<ConfigOption<?>> TRANSACTION_TIMEOUT_INPUTS = List.of(KafkaOptions.TRANSACTION_TIMEOUT,
            CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, CheckpointingOptions.CHECKPOINTING_TIMEOUT,
            CheckpointingOptions.CHECKPOINTING_INTERVAL, CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
            RestartStrategyOptions.RESTART_STRATEGY, RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
            RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY,
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);

    /**
     * The sinks' transaction timeout, checked against the longest time a checkpoint's transaction can
     * stay uncommitted. A transaction opened after one checkpoint is committed only when a later one
     * completes: each tolerated failed checkpoint adds its timeout and the wait for the next attempt,
     * and a failure right after the completing checkpoint adds a restart. A broker that aborts the
     * transaction meanwhile loses its records while the checkpoint has already moved the source
     * offsets past them, and the committer cannot tell this from a harmless re-commit (see
     * streaming-jobs/README.md), so the timeout must cover it all; and the broker refuses a timeout
     * above its maximum.
     */
    public static Duration transactionTimeout(Configuration c) {
        Duration timeout = c.get(KafkaOptions.TRANSACTION_TIMEOUT);
        String timeoutKey = KafkaOptions.TRANSACTION_TIMEOUT.key();
        if (timeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException(timeoutKey + " (" + format(timeout)
                    + ") exceeds the broker's default transaction.max.timeout.ms of " + format(BROKER_MAX_TRANSACTION_TIMEOUT));
        }
        int tolerated = c.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER);
        Duration checkpointTimeout = c.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        Duration interval = c.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(Duration.ZERO);
        Duration minPause = c.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS);
        // The next attempt starts an interval after the previous one, or its minimum pause after it ended.
        boolean pauseLonger = minPause.compareTo(interval) > 0;
        String gap = pauseLonger
                ? CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS.key() + " " + format(minPause)
                : CheckpointingOptions.CHECKPOINTING_INTERVAL.key() + " " + format(interval);
        Duration restartDelay = restartDelay(c);
        Duration uncommitted = checkpointTimeout.plus(pauseLonger ? minPause : interval).multipliedBy(tolerated + 1L)
                .plus(restartDelay).plus(RECOVERY_ALLOWANCE);
        String sum = "(" + CheckpointingOptions.TOLERABLE_FAILURE_NUMBER.key() + " " + tolerated + " + 1) x ("
                + CheckpointingOptions.CHECKPOINTING_TIMEOUT.key() + " " + format(checkpointTimeout) + " + " + gap
                + ") + restart delay " + format(restartDelay) + " + recovery allowance " + format(RECOVERY_ALLOWANCE)
                + " = " + format(uncommitted);
        if (uncommitted.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) >= 0) {
            throw new IllegalArgumentException("A transaction can stay uncommitted for " + sum
                    + ", more than the broker's transaction.max.timeout.ms (" + format(BROKER_MAX_TRANSACTION_TIMEOUT)
                    + ") allows: shorten the checkpoint timeout or tolerate fewer failed checkpoints");
        }
        if (timeout.compareTo(uncommitted) <= 0) {
            throw new IllegalArgumentException(timeoutKey + " (" + format(timeout)
                    + ") must exceed the longest time a checkpoint's transaction can stay uncommitted: " + sum);
        }
        return timeout;
    }

    /** The longest wait before a restart: the cap of exponential delay, else the strategy's fixed delay. */
    private static Duration restartDelay(Configuration c) {
        String strategy = c.getOptional(RestartStrategyOptions.RESTART_STRATEGY).orElse("").toLowerCase(Locale.ROOT);
        return switch (strategy) {
            case "fixed-delay", "fixeddelay" -> c.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY);
            case "failure-rate", "failurerate" -> c.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY);
            case "none", "off", "disable" -> Duration.ZERO;
            // Flink's default strategy with checkpointing on is exponential delay.
            default -> c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
        };
    }

    private static String format(Duration d) {
        return TimeUtils.formatWithHighestUnit(d);
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
