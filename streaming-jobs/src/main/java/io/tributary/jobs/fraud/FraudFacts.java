package io.tributary.jobs.fraud;

/**
 * What the rules of one payment are evaluated on: the payment, the card's and the account's
 * features as of it, the card's history with the payment added, whether the device is new to the
 * account, and the card's previous located payment (for impossible travel).
 */
record FraudFacts(FraudPayment payment, double[] cardFeatures, double[] accountFeatures, CardHistory card,
        boolean newDevice, Location previous) {

    /** Where and when a card paid. */
    record Location(long time, double latitude, double longitude, String country) {}

    long eventTime() {
        return payment.eventTime();
    }

    /** The value of a feature as of this payment. */
    double feature(Feature feature) {
        return (feature.entity() == Feature.Entity.CARD ? cardFeatures : accountFeatures)[feature.index()];
    }

    /** The payment's location, or null when it has none. */
    Location location() {
        Double latitude = payment.latitude();
        Double longitude = payment.longitude();
        return latitude == null || longitude == null ? null
                : new Location(eventTime(), latitude, longitude, payment.country());
    }
}
