package io.tributary.jobs.common;

import static io.tributary.jobs.common.SettingChecks.required;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * How a job that writes Kafka topics delivers to them, read once from the configuration.
 *
 * @param guarantee exactly-once (the default) or at-least-once
 * @param transactionalIdPrefix the job's own prefix, unique on the cluster and stable across restarts;
 *     each sink appends its name
 * @param transactionTimeout checked to outlive every tolerated failed checkpoint plus a restart, and to be within
 *     the broker's maximum
 */
public record KafkaDelivery(DeliveryGuarantee guarantee, String transactionalIdPrefix, Duration transactionTimeout)
        implements Serializable {

    /**
     * Reads and checks the settings.
     *
     * @param prefixOption the job's transactional id prefix option, which must be set
     */
    public static KafkaDelivery from(Configuration c, ConfigOption<String> prefixOption) {
        return new KafkaDelivery(c.get(KafkaOptions.DELIVERY_GUARANTEE),
                required(c.get(prefixOption), prefixOption.key()), SettingChecks.transactionTimeout(c));
    }

    /** The same, with {@code other} as the guarantee: for one sink of a job that delivers its others as configured. */
    public KafkaDelivery withGuarantee(DeliveryGuarantee other) {
        return new KafkaDelivery(other, transactionalIdPrefix, transactionTimeout);
    }
}
