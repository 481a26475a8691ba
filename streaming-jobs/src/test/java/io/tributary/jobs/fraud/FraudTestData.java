package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudRule;
import io.tributary.events.PaymentChannel;
import io.tributary.events.RuleType;
import io.tributary.events.Severity;
import io.tributary.events.TransactionStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;

/** Enriched payments and rules for the operator tests. */
final class FraudTestData {
    static final String ACCOUNT = "acc-1";
    static final String CARD = "card-token-1";

    private FraudTestData() {}

    /** A payment of {@link #CARD} of {@link #ACCOUNT}: {@code usd} dollars at {@code time}, in Germany, no location or device. */
    static EnrichedTransaction payment(String id, long time, double usd) {
        return payment(id, time, usd, "DE", null, null, null);
    }

    static EnrichedTransaction payment(String id, long time, double usd, String country, Double latitude,
            Double longitude, String device) {
        EnrichedTransaction e = new EnrichedTransaction();
        e.setEventId(UUID.nameUUIDFromBytes(id.getBytes()));
        e.setTransactionId("tx-" + id);
        e.setAccountId(ACCOUNT);
        e.setCardToken(CARD);
        e.setCardLast4("4242");
        e.setMerchantId("m-1");
        BigDecimal amount = BigDecimal.valueOf(usd).setScale(4, RoundingMode.HALF_EVEN);
        e.setAmount(amount);
        e.setCurrency("USD");
        e.setAmountUsd(amount);
        e.setFxRateKnown(true);
        e.setEventTime(Instant.ofEpochMilli(time));
        e.setStatus(TransactionStatus.AUTHORIZED);
        e.setChannel(PaymentChannel.ECOMMERCE);
        e.setCountry(country);
        e.setLatitude(latitude);
        e.setLongitude(longitude);
        e.setDeviceId(device);
        e.setAccountKnown(true);
        e.setMerchantKnown(true);
        return e;
    }

    static FraudRule.Builder rule(String id, int version, RuleType type, long effectiveFrom) {
        return FraudRule.newBuilder().setRuleId(id).setVersion(version).setEnabled(true).setType(type)
                .setSeverity(Severity.HIGH).setEffectiveFrom(Instant.ofEpochMilli(effectiveFrom))
                .setDescription("test rule " + id);
    }
}
