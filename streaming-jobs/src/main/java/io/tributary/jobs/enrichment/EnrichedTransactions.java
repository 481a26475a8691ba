package io.tributary.jobs.enrichment;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.Location;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The enriched record of a payment, from the payment and what was known about it: a pure function,
 * shared by the stream and the backfill so that both compute the same row.
 */
public final class EnrichedTransactions {
    /** Scale of amount_usd, the contract's decimal scale. */
    static final int USD_SCALE = 4;
    private static final BigDecimal ONE = BigDecimal.ONE.setScale(10);

    private EnrichedTransactions() {}

    /**
     * @param account the account as of the event time, or null when unknown
     * @param merchant the merchant, or null when unknown
     * @param rate the FX rate valid at the event time, or null when none is known (ignored for USD)
     */
    public static EnrichedTransaction of(MaskedTransaction t, AccountSnapshot account, Merchant merchant, FxRate rate) {
        boolean usd = "USD".equals(t.getCurrency());
        BigDecimal rateToUsd = usd ? ONE : rate == null ? null : rate.getRateToUsd();
        Location location = t.getLocation();
        return EnrichedTransaction.newBuilder()
                .setEventId(t.getEventId())
                .setTransactionId(t.getTransactionId())
                .setAccountId(t.getAccountId())
                .setCardToken(t.getCardToken())
                .setCardLast4(t.getCardLast4())
                .setMerchantId(t.getMerchantId())
                .setAmount(t.getAmount())
                .setCurrency(t.getCurrency())
                .setAmountUsd(rateToUsd == null ? null
                        : t.getAmount().multiply(rateToUsd).setScale(USD_SCALE, RoundingMode.HALF_EVEN))
                .setFxRateToUsd(rateToUsd)
                .setFxRateValidFrom(usd || rate == null ? null : rate.getValidFrom())
                .setFxRateKnown(rateToUsd != null)
                .setEventTime(t.getEventTime())
                .setStatus(t.getStatus())
                .setChannel(t.getChannel())
                .setCountry(t.getCountry())
                .setDeviceId(t.getDeviceId())
                .setIpPrefix(t.getIpPrefix())
                .setEmailToken(t.getEmailToken())
                .setLatitude(location == null ? null : location.getLatitude())
                .setLongitude(location == null ? null : location.getLongitude())
                .setCity(location == null ? null : location.getCity())
                .setAccountKnown(account != null)
                .setAccountRiskTier(account == null ? null : account.riskTier)
                .setAccountHomeCountry(account == null ? null : account.homeCountry)
                .setMerchantKnown(merchant != null)
                .setMerchantName(merchant == null ? null : merchant.getName())
                .setMerchantCategoryCode(merchant == null ? null : merchant.getCategoryCode())
                .setMerchantCountry(merchant == null ? null : merchant.getCountry())
                .setMerchantRiskLevel(merchant == null ? null : merchant.getRiskLevel())
                .build();
    }
}
