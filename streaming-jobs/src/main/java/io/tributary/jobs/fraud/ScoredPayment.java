package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;

/**
 * An enriched payment with what the account stage found: the account's features as of the payment
 * (indexed as {@link Feature.Entity#ACCOUNT}'s features) and whether its device is new to the
 * account. A Flink POJO.
 */
public class ScoredPayment {
    public EnrichedTransaction payment;
    public double[] accountFeatures;
    public boolean newDevice;

    public ScoredPayment() {}

    public ScoredPayment(EnrichedTransaction payment, double[] accountFeatures, boolean newDevice) {
        this.payment = payment;
        this.accountFeatures = accountFeatures;
        this.newDevice = newDevice;
    }
}
