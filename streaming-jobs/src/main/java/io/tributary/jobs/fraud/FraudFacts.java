package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;
import java.math.BigDecimal;

/**
 * What the rules of one payment are evaluated on: the payment, the card's and the account's
 * features as of it, the card's history with the payment added, whether the device is new to the
 * account, and the card's previous located payment (for impossible travel).
 */
record FraudFacts(EnrichedTransaction payment, double[] cardFeatures, double[] accountFeatures, CardHistory card,
        boolean newDevice, Location previous) {

    /** Where and when a card paid. */
    record Location(long time, double latitude, double longitude, String country) {}

    long eventTime() {
        return payment.getEventTime().toEpochMilli();
    }

    /** The value of a feature as of this payment. */
    double feature(Feature feature) {
        return (feature.entity() == Feature.Entity.CARD ? cardFeatures : accountFeatures)[feature.index()];
    }

    /** The payment's location, or null when it has none. */
    Location location() {
        Double latitude = payment.getLatitude();
        Double longitude = payment.getLongitude();
        return latitude == null || longitude == null ? null
                : new Location(eventTime(), latitude, longitude, payment.getCountry());
    }

    /** The payment's amount in USD, or null when no FX rate was known. */
    static Double amountUsd(EnrichedTransaction payment) {
        BigDecimal usd = payment.getAmountUsd();
        return usd == null ? null : usd.doubleValue();
    }
}
