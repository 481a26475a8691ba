package io.tributary.jobs.fraud;

/**
 * How fraud-detection turns payments into alerts: exactly once and in event-time order, or within a
 * fraction of a second and at least once. Read from {@link FraudOptions#ALERT_DELIVERY}; README's
 * "fraud-detection's two alert deliveries" says what each promises.
 */
public enum AlertDelivery {
    /**
     * Reads the enriched payments read_committed, holds each until the watermark passes it and scores
     * it in event-time order, writes alerts in Kafka transactions committed on checkpoints: each alert
     * once, seconds after its payment (the enrichment's commit, the out-of-orderness bound, then this
     * job's commit).
     */
    EXACTLY_ONCE("exactly-once"),
    /**
     * Reads the enriched payments as they are written (read_uncommitted), scores each on arrival and
     * writes alerts without transactions: an alert a fraction of a second after its payment, at least
     * once. A restart repeats the alerts since the last checkpoint with the same {@code alert_id};
     * features follow the arrival order.
     */
    LOW_LATENCY("low-latency");

    private final String text;

    AlertDelivery(String text) {
        this.text = text;
    }

    /** As the option is written; Flink matches an enum option's value against this. */
    @Override
    public String toString() {
        return text;
    }
}
