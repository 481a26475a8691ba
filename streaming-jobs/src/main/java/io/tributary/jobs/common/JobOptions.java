package io.tributary.jobs.common;

import io.tributary.state.StateOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.CoreOptions;

/**
 * The options every streaming job has under its own scope ({@code tributary.<scope>.*}), made here
 * so that their meaning and defaults are written once, and the list a job's {@code options()}
 * starts from.
 */
public final class JobOptions {
    private JobOptions() {}

    /**
     * The watermark's bound: {@code tributary.<scope>.max-out-of-orderness}, 5 s by default.
     *
     * @param effect what the bound means for this job's output, appended to the description
     */
    public static ConfigOption<Duration> maxOutOfOrderness(String scope, String effect) {
        return ConfigOptions.key("tributary." + scope + ".max-out-of-orderness")
                .durationType()
                .defaultValue(Duration.ofSeconds(5))
                .withDescription("How far behind the newest record of its partition a record may arrive and still be"
                        + " in order: the watermark trails the newest event time by this much. " + effect);
    }

    /** When an idle partition stops holding the watermark back: {@code tributary.<scope>.idleness}. */
    public static ConfigOption<Duration> idleness(String scope) {
        return ConfigOptions.key("tributary." + scope + ".idleness")
                .durationType()
                .defaultValue(Duration.ofSeconds(10))
                .withDescription("A partition without records for this long stops holding the watermark back.");
    }

    /**
     * The prefix of the job's Kafka transactional ids: {@code tributary.<scope>.transactional-id-prefix},
     * {@code tributary-<job>} by default.
     */
    public static ConfigOption<String> transactionalIdPrefix(String scope, String job) {
        return ConfigOptions.key("tributary." + scope + ".transactional-id-prefix")
                .stringType()
                .defaultValue("tributary-" + job)
                .withDescription("Prefix of the Kafka transactional ids of the job's sinks; unique on the cluster and"
                        + " stable across restarts and upgrades.");
    }

    /**
     * What a job that reads Kafka reads (Kafka, the registry, the state profile, the parallelism),
     * followed by its own options.
     */
    public static List<ConfigOption<?>> kafkaJob(ConfigOption<?>... own) {
        return concat(List.of(KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.CLIENT_PROPERTIES, KafkaOptions.GROUP_ID,
                KafkaOptions.STARTING_OFFSETS, KafkaOptions.STOP_AT_LATEST, KafkaOptions.REGISTRY_URL,
                KafkaOptions.REGISTRY_USER, KafkaOptions.REGISTRY_TOKEN_ENV, KafkaOptions.REGISTRY_TLS_CA_FILE,
                KafkaOptions.REGISTRY_ALLOW_INSECURE_AUTH, KafkaOptions.REGISTRY_MAX_RETRY_TIME,
                KafkaOptions.REGISTRY_MAX_ID_LAG, KafkaOptions.REGISTRY_UNKNOWN_ID_CACHE_TIME, KafkaOptions.ACCESS_CHECK, StateOptions.PROFILE, CoreOptions.DEFAULT_PARALLELISM), own);
    }

    /** As {@link #kafkaJob}, for a job that also writes Kafka transactions (their guarantee and timeout). */
    public static List<ConfigOption<?>> transactionalKafkaJob(ConfigOption<?>... own) {
        return concat(kafkaJob(KafkaOptions.DELIVERY_GUARANTEE, KafkaOptions.TRANSACTION_TIMEOUT), own);
    }

    private static List<ConfigOption<?>> concat(List<ConfigOption<?>> first, ConfigOption<?>... then) {
        List<ConfigOption<?>> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(then));
        return List.copyOf(all);
    }
}
