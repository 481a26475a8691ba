package io.tributary.jobs.fraud;

/**
 * The features of one card or account as of one payment: what goes to Redis for the scoring
 * services. A Flink POJO; {@code values} are indexed as {@code entity}'s features.
 */
public class FeatureSnapshot {
    public Feature.Entity entity;
    /** The card token or the account id (both already free of personal data). */
    public String id;
    /** Event time of the payment the values are as of: a write never replaces a newer one. */
    public long eventTime;
    public double[] values;

    public FeatureSnapshot() {}

    public FeatureSnapshot(Feature.Entity entity, String id, long eventTime, double[] values) {
        this.entity = entity;
        this.id = id;
        this.eventTime = eventTime;
        this.values = values;
    }
}
