package io.tributary.contracts;

import io.tributary.events.AccountProfile;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.ErasureRequest;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.events.FxRate;
import io.tributary.events.LateTransaction;
import io.tributary.events.Merchant;
import io.tributary.events.Transaction;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import io.tributary.registry.CanonicalSchema;
import io.tributary.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every Kafka topic of Tributary with its contract: the Avro value schema, registered under the
 * Confluent subject {@code <topic>-value}, the compatibility that subject promises, the key, and
 * how the topic is kept. This is the one list that topic creation, schema registration, the data
 * dictionary and the deployment checks read.
 */
public enum TopicContract {
    TRANSACTIONS(
            "payments.transactions.v1", Transaction.class, Role.INPUT, "account_id",
            CleanupPolicy.DELETE, Duration.ofDays(7), 6, CompatibilityLevel.BACKWARD,
            "consumers upgrade first: a new schema must read the records still in the topic"),
    ACCOUNT_PROFILES(
            "accounts.profiles.v1", AccountProfile.class, Role.INPUT, "account_id",
            CleanupPolicy.COMPACT, null, 3, CompatibilityLevel.BACKWARD_TRANSITIVE,
            "compacted: records written with every version stay forever, so a new schema must read all of them"),
    MERCHANTS(
            "merchants.v1", Merchant.class, Role.INPUT, "merchant_id",
            CleanupPolicy.COMPACT, null, 1, CompatibilityLevel.BACKWARD_TRANSITIVE,
            "compacted: records written with every version stay forever, so a new schema must read all of them"),
    FX_RATES(
            "fx.rates.v1", FxRate.class, Role.INPUT, "currency",
            CleanupPolicy.DELETE, Duration.ofDays(30), 1, CompatibilityLevel.BACKWARD_TRANSITIVE,
            "read from the beginning at every start to rebuild the rate history, so a new schema must read every version in it"),
    FRAUD_RULES(
            "fraud.rules.v1", FraudRule.class, Role.INPUT, "rule_id",
            CleanupPolicy.COMPACT, null, 1, CompatibilityLevel.BACKWARD_TRANSITIVE,
            "compacted: records written with every version stay forever, so a new schema must read all of them"),
    ENRICHED_TRANSACTIONS(
            "payments.transactions.enriched.v1", EnrichedTransaction.class, Role.OUTPUT, "account_id",
            CleanupPolicy.DELETE, Duration.ofDays(7), 6, CompatibilityLevel.BACKWARD,
            "fraud-detection services upgrade their reader before the job writes a new version"),
    DEAD_LETTERS(
            "payments.transactions.dlq.v1", DeadLetter.class, Role.OUTPUT, "the original record's key bytes",
            CleanupPolicy.DELETE, Duration.ofDays(3), 3, CompatibilityLevel.BACKWARD,
            "replay tools upgrade their reader before the jobs write a new version"),
    LATE_TRANSACTIONS(
            "payments.transactions.late.v1", LateTransaction.class, Role.OUTPUT, "account_id",
            CleanupPolicy.DELETE, Duration.ofDays(7), 3, CompatibilityLevel.BACKWARD,
            "readers upgrade before the job writes a new version"),
    FRAUD_ALERTS(
            "fraud.alerts.v1", FraudAlert.class, Role.OUTPUT, "card_token",
            CleanupPolicy.DELETE, Duration.ofDays(30), 6, CompatibilityLevel.BACKWARD,
            "fraud-detection services upgrade their reader before the job writes a new version"),
    ERASURE_REQUESTS(
            "gdpr.erasure-requests.v1", ErasureRequest.class, Role.INPUT, "account_id",
            CleanupPolicy.DELETE, Duration.ofDays(7), 1, CompatibilityLevel.BACKWARD,
            "readers upgrade first: a new schema must read the requests still in the topic");

    /**
     * The largest value an event of any contract may have. A payment is about 250 bytes; a far larger
     * value is refused ({@link RejectionReason#CONTRACT_RECORD_TOO_LARGE}) so that no output made from
     * it can outgrow what its topic accepts.
     */
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    /** The largest record batch a topic accepts ({@code max.message.bytes}): Kafka's default, stated. */
    public static final int MAX_MESSAGE_BYTES = 1_048_588;

    /**
     * What the DLQ accepts: any record an input topic accepted (key and value up to
     * {@link #MAX_MESSAGE_BYTES}), whole, in a dead letter's envelope, which is bounded (the reason's
     * detail is cut at {@code DeadLetterFactory}'s limit).
     */
    public static final int DEAD_LETTER_MAX_MESSAGE_BYTES = MAX_MESSAGE_BYTES + 64 * 1024;

    /** Whether Tributary reads or writes the topic. */
    public enum Role {
        INPUT,
        OUTPUT
    }

    private final String topic;
    private final Class<? extends SpecificRecord> valueClass;
    private final Role role;
    private final String key;
    private final CleanupPolicy cleanupPolicy;
    private final Duration retention;
    private final int partitions;
    private final CompatibilityLevel compatibility;
    private final String compatibilityReason;
    private final Schema valueSchema;

    TopicContract(
            String topic,
            Class<? extends SpecificRecord> valueClass,
            Role role,
            String key,
            CleanupPolicy cleanupPolicy,
            Duration retention,
            int partitions,
            CompatibilityLevel compatibility,
            String compatibilityReason) {
        this.topic = topic;
        this.valueClass = valueClass;
        this.role = role;
        this.key = key;
        this.cleanupPolicy = cleanupPolicy;
        this.retention = retention;
        this.partitions = partitions;
        this.compatibility = compatibility;
        this.compatibilityReason = compatibilityReason;
        this.valueSchema = CanonicalSchema.of(classSchema(valueClass));
    }

    /** The Kafka topic name. */
    public String topic() {
        return topic;
    }

    /** The schema registry subject of the value schema ({@code TopicNameStrategy}). */
    public String subject() {
        return topic + "-value";
    }

    /** The generated class of the value. */
    public Class<? extends SpecificRecord> valueClass() {
        return valueClass;
    }

    /** The current value schema in the canonical form that is registered (see {@link CanonicalSchema}). */
    public Schema valueSchema() {
        return valueSchema;
    }

    public Role role() {
        return role;
    }

    /** What the record key holds (UTF-8 bytes, not Avro). */
    public String key() {
        return key;
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    /** How long records are kept; empty for compacted topics, which keep the latest record of each key. */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    /** The topic-level Kafka configs that make the topic keep records as the contract says. */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.kafkaValue());
        configs.put("retention.ms", String.valueOf(retention == null ? -1 : retention.toMillis()));
        configs.put("max.message.bytes", String.valueOf(maxMessageBytes()));
        if (this == TRANSACTIONS) {
            // The broker stamps each payment with its append time: the clock that the future check
            // of event times trusts, which a producer cannot set ahead.
            configs.put("message.timestamp.type", "LogAppendTime");
        }
        return configs;
    }

    /** The largest record batch the topic accepts; the DLQ's is larger, to hold any input record whole. */
    public int maxMessageBytes() {
        return this == DEAD_LETTERS ? DEAD_LETTER_MAX_MESSAGE_BYTES : MAX_MESSAGE_BYTES;
    }

    /** Partitions of the topic in production; the local stack uses the same. */
    public int partitions() {
        return partitions;
    }

    /** The compatibility level the subject promises. */
    public CompatibilityLevel compatibility() {
        return compatibility;
    }

    /** Why the subject promises that level. */
    public String compatibilityReason() {
        return compatibilityReason;
    }

    /**
     * Whether the topic holds personal data in clear and must be access-restricted: only the DLQ,
     * which keeps the original bytes of rejected records so they can be replayed.
     */
    public boolean restricted() {
        return this == DEAD_LETTERS;
    }

    /** The contract of a topic, by its Kafka name. */
    public static Optional<TopicContract> forTopic(String topic) {
        return Arrays.stream(values()).filter(c -> c.topic.equals(topic)).findFirst();
    }

    /** The contract whose values are {@code valueClass}, e.g. {@link #TRANSACTIONS} for {@code Transaction}. */
    public static Optional<TopicContract> forValueClass(Class<?> valueClass) {
        return Arrays.stream(values()).filter(c -> c.valueClass.equals(valueClass)).findFirst();
    }

    private static Schema classSchema(Class<? extends SpecificRecord> valueClass) {
        try {
            return (Schema) valueClass.getMethod("getClassSchema").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Generated class without getClassSchema(): " + valueClass, e);
        }
    }
}
