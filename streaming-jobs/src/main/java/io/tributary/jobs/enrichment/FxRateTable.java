package io.tributary.jobs.enrichment;

import io.tributary.events.FxRate;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The rates of every currency by validity start, to find the rate valid at an event time: the
 * latest whose {@code valid_from} is at or before it. An in-memory index over the broadcast state,
 * which holds the same rates keyed by {@link #stateKey}.
 */
final class FxRateTable {
    /**
     * The most US dollars one unit of any currency may be worth: today's dearest (the Kuwaiti dinar)
     * is about 3.3. A rate above it is a publishing error, which would also overflow amount_usd.
     */
    static final BigDecimal MAX_RATE_TO_USD = BigDecimal.valueOf(100);

    private final Map<String, NavigableMap<Long, FxRate>> byCurrency = new HashMap<>();

    /**
     * Why the table must not take {@code rate}, or null: a rate that is not positive, or absurdly
     * high. Checked in the source, so such a rate goes to the DLQ instead of into amount_usd. The
     * answer names no value, as dead letters' details never do.
     */
    static String problem(FxRate rate) {
        BigDecimal toUsd = rate.getRateToUsd();
        if (toUsd.signum() <= 0) {
            return "rate_to_usd is zero or negative";
        }
        if (toUsd.compareTo(MAX_RATE_TO_USD) > 0) {
            return "rate_to_usd is above " + MAX_RATE_TO_USD + " dollars per unit";
        }
        return null;
    }

    /** The broadcast-state key of a rate: currency and validity start. */
    static String stateKey(FxRate rate) {
        return rate.getCurrency() + "@" + rate.getValidFrom().toEpochMilli();
    }

    void put(FxRate rate) {
        byCurrency.computeIfAbsent(rate.getCurrency(), c -> new TreeMap<>()).put(rate.getValidFrom().toEpochMilli(), rate);
    }

    /** The rate of {@code currency} valid at {@code eventTime}, or null when none is. */
    FxRate validAt(String currency, long eventTime) {
        NavigableMap<Long, FxRate> rates = byCurrency.get(currency);
        if (rates == null) {
            return null;
        }
        Map.Entry<Long, FxRate> entry = rates.floorEntry(eventTime);
        return entry == null ? null : entry.getValue();
    }

    /**
     * Drops rates that no event will need any more: those superseded more than {@code keep} before
     * the currency's newest rate. Returns them, so that the caller removes them from its state too.
     */
    List<FxRate> prune(String currency, Duration keep) {
        NavigableMap<Long, FxRate> rates = byCurrency.get(currency);
        List<FxRate> dropped = new ArrayList<>();
        if (rates == null || rates.isEmpty()) {
            return dropped;
        }
        long cutoff = rates.lastKey() - keep.toMillis();
        Long stillValidAtCutoff = rates.floorKey(cutoff);
        if (stillValidAtCutoff != null) {
            NavigableMap<Long, FxRate> old = rates.headMap(stillValidAtCutoff, false);
            dropped.addAll(old.values());
            old.clear();
        }
        return dropped;
    }
}
