package io.tributary.contracts;

/** Kafka's {@code cleanup.policy} of a topic. */
public enum CleanupPolicy {
    /** Old segments are deleted after the retention time. */
    DELETE("delete"),
    /** The latest record of each key is kept forever; a null value (tombstone) deletes the key. */
    COMPACT("compact");

    private final String kafkaValue;

    CleanupPolicy(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    /** The value of the topic config {@code cleanup.policy}. */
    public String kafkaValue() {
        return kafkaValue;
    }
}
