package io.tributary.jobs.fraud;

import static io.tributary.jobs.common.SettingChecks.positive;
import static io.tributary.jobs.common.SettingChecks.required;

import io.tributary.jobs.common.KafkaOptions;
import io.tributary.jobs.common.SettingChecks;
import io.tributary.jobs.common.TopicOptions;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.StateOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The fraud-detection job's configuration, read once from the Flink configuration and checked.
 * Serializable, as parts of it travel with the operators.
 */
public record FraudSettings(
        String bootstrapServers,
        Map<String, String> kafkaClientProperties,
        String groupId,
        KafkaOptions.StartingOffsets startingOffsets,
        boolean stopAtLatest,
        SchemaRegistryConfig registry,
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration dedupTtl,
        Duration maxVelocityWindow,
        Duration cardRetention,
        Duration deviceMemory,
        Duration alertMemory,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Topics topics) implements Serializable {

    /** The physical topic names. */
    public record Topics(String enriched, String rules, String alerts, String deadLetters) implements Serializable {}

    /**
     * Reads and checks the settings.
     *
     * @param environment where the registry password is looked up
     * @throws IllegalArgumentException with one clear line for a missing or inconsistent setting
     */
    public static FraudSettings from(Configuration c, Map<String, String> environment) {
        Duration maxVelocityWindow = positive(FraudOptions.MAX_VELOCITY_WINDOW.key(), c.get(FraudOptions.MAX_VELOCITY_WINDOW));
        Duration cardRetention = positive(FraudOptions.CARD_RETENTION.key(), c.get(FraudOptions.CARD_RETENTION));
        if (cardRetention.compareTo(maxVelocityWindow) < 0) {
            throw new IllegalArgumentException(FraudOptions.CARD_RETENTION.key() + " (" + cardRetention
                    + ") must be at least " + FraudOptions.MAX_VELOCITY_WINDOW.key() + " (" + maxVelocityWindow + ")");
        }
        return new FraudSettings(
                required(c.get(KafkaOptions.BOOTSTRAP_SERVERS), KafkaOptions.BOOTSTRAP_SERVERS.key()),
                Map.copyOf(c.get(KafkaOptions.CLIENT_PROPERTIES)),
                Objects.requireNonNullElse(c.get(KafkaOptions.GROUP_ID), FraudDetectionJob.NAME),
                c.get(KafkaOptions.STARTING_OFFSETS),
                c.get(KafkaOptions.STOP_AT_LATEST),
                SettingChecks.registry(c, environment),
                positive(FraudOptions.MAX_OUT_OF_ORDERNESS.key(), c.get(FraudOptions.MAX_OUT_OF_ORDERNESS)),
                positive(FraudOptions.IDLENESS.key(), c.get(FraudOptions.IDLENESS)),
                positive(StateOptions.DEDUP_TTL.key(), c.get(StateOptions.DEDUP_TTL)),
                maxVelocityWindow,
                cardRetention,
                positive(FraudOptions.DEVICE_MEMORY.key(), c.get(FraudOptions.DEVICE_MEMORY)),
                positive(FraudOptions.ALERT_MEMORY.key(), c.get(FraudOptions.ALERT_MEMORY)),
                c.get(KafkaOptions.DELIVERY_GUARANTEE),
                required(c.get(FraudOptions.TRANSACTIONAL_ID_PREFIX), FraudOptions.TRANSACTIONAL_ID_PREFIX.key()),
                SettingChecks.transactionTimeout(c),
                new Topics(c.get(TopicOptions.ENRICHED), c.get(TopicOptions.FRAUD_RULES), c.get(TopicOptions.FRAUD_ALERTS),
                        c.get(TopicOptions.DEAD_LETTERS)));
    }
}
