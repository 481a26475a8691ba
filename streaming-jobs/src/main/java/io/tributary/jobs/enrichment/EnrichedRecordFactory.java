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
public final class EnrichedRecordFactory {
    /** Scale of amount_usd, the contract's decimal scale. */
    static final int USD_SCALE = 4;
    private static final BigDecimal ONE = BigDecimal.ONE.setScale(10);

    private EnrichedRecordFactory() {}

    /**
     * @param account the account as of the event time, or null when unknown
     * @param merchant the merchant, or null when unknown
     * @param rate the FX rate valid at the event time, or null when none is known (ignored for USD)
     */
    public static EnrichedTransaction of(MaskedTransaction t, AccountSnapshot account, Merchant merchant, FxRate rate) {
        boolean usd = "USD".equals(t.getCurrency());
        BigDecimal rateToUsd = usd ? ONE : rate == null ? null : rate.getRateToUsd();
        Location location = t.getLocation();
        // Set field by field on a new record, not through the generated builder: the builder validates
        // and deep-copies defaults per field, a tenth of the enrichment's time. Every field is set here
        // (EnrichedRecordFactoryTest checks it when the schema gains one).
        EnrichedTransaction e = new EnrichedTransaction();
        e.setEventId(t.getEventId());
        e.setTransactionId(t.getTransactionId());
        e.setAccountId(t.getAccountId());
        e.setCardToken(t.getCardToken());
        e.setCardLast4(t.getCardLast4());
        e.setMerchantId(t.getMerchantId());
        e.setAmount(t.getAmount());
        e.setCurrency(t.getCurrency());
        e.setAmountUsd(rateToUsd == null ? null
                : t.getAmount().multiply(rateToUsd).setScale(USD_SCALE, RoundingMode.HALF_EVEN));
        e.setFxRateToUsd(rateToUsd);
        e.setFxRateValidFrom(usd || rate == null ? null : rate.getValidFrom());
        e.setFxRateKnown(rateToUsd != null);
        e.setEventTime(t.getEventTime());
        e.setStatus(t.getStatus());
        e.setChannel(t.getChannel());
        e.setCountry(t.getCountry());
        e.setDeviceId(t.getDeviceId());
        e.setIpPrefix(t.getIpPrefix());
        e.setEmailToken(t.getEmailToken());
        e.setLatitude(location == null ? null : location.getLatitude());
        e.setLongitude(location == null ? null : location.getLongitude());
        e.setCity(location == null ? null : location.getCity());
        e.setAccountKnown(account != null);
        e.setAccountRiskTier(account == null ? null : account.riskTier);
        e.setAccountHomeCountry(account == null ? null : account.homeCountry);
        e.setMerchantKnown(merchant != null);
        e.setMerchantName(merchant == null ? null : merchant.getName());
        e.setMerchantCategoryCode(merchant == null ? null : merchant.getCategoryCode());
        e.setMerchantCountry(merchant == null ? null : merchant.getCountry());
        e.setMerchantRiskLevel(merchant == null ? null : merchant.getRiskLevel());
        return e;
    }
}
