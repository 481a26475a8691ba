package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;

/**
 * What the account stage sends to the card stage: an enriched payment with what the account stage
 * found (the account's features as of the payment, indexed as {@link Feature.Entity#ACCOUNT}'s
 * features, and whether its device is new to the account), or an erasure marker for one card of an
 * account that asked to be forgotten ({@code payment} null, {@code erasedCard} its token). A Flink
 * POJO; it only travels between the two stages, never in state.
 */
public class ScoredPayment {
    public EnrichedTransaction payment;
    public double[] accountFeatures;
    public boolean newDevice;
    /** Set on an erasure marker alone: the card token whose state the card stage must clear. */
    public String erasedCard;

    public ScoredPayment() {}

    public ScoredPayment(EnrichedTransaction payment, double[] accountFeatures, boolean newDevice) {
        this.payment = payment;
        this.accountFeatures = accountFeatures;
        this.newDevice = newDevice;
    }

    /** The marker that tells the card stage to forget the card {@code cardToken}. */
    public static ScoredPayment erasure(String cardToken) {
        ScoredPayment marker = new ScoredPayment();
        marker.erasedCard = cardToken;
        return marker;
    }

    public boolean isErasure() {
        return payment == null;
    }

    /** The key of the card stage: the payment's card token, or the erased card's. */
    public String cardToken() {
        return payment == null ? erasedCard : payment.getCardToken();
    }
}
