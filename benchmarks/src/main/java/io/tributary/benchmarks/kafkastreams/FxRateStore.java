package io.tributary.benchmarks.kafkastreams;

import io.tributary.events.FxRate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The FX rates of every currency by validity start, in a key-value store whose keys sort by
 * currency, then time ({@code EUR@0001767225600000}), so that the rate valid at an event time is
 * the last key at or before it: the same rule as the Flink job's {@code FxRateTable}, on a store.
 */
final class FxRateStore {
    static final String NAME = "fx-rates";
    /** Digits of an epoch millisecond, zero-padded so that text order is time order. */
    private static final String TIME = "%019d";

    private FxRateStore() {}

    static String key(String currency, long validFrom) {
        return currency + "@" + String.format(TIME, Math.max(0, validFrom));
    }

    static String key(FxRate rate) {
        return key(rate.getCurrency(), rate.getValidFrom().toEpochMilli());
    }

    /** The rate of {@code currency} valid at {@code eventTime}, or null when none is. */
    static FxRate validAt(KeyValueStore<String, FxRate> rates, String currency, long eventTime) {
        try (KeyValueIterator<String, FxRate> latestFirst = rates.reverseRange(key(currency, 0),
                key(currency, eventTime))) {
            return latestFirst.hasNext() ? latestFirst.next().value : null;
        }
    }

    /**
     * Stores {@code rate}, then drops the rates of its currency superseded more than {@code keep}
     * before it, as the Flink job prunes its table.
     */
    static void put(KeyValueStore<String, FxRate> rates, FxRate rate, Duration keep) {
        rates.put(key(rate), rate);
        long cutoff = rate.getValidFrom().toEpochMilli() - keep.toMillis();
        String stillValidAtCutoff;
        try (KeyValueIterator<String, FxRate> latestFirst = rates.reverseRange(key(rate.getCurrency(), 0),
                key(rate.getCurrency(), cutoff))) {
            if (!latestFirst.hasNext()) {
                return;
            }
            stillValidAtCutoff = latestFirst.next().key;
        }
        List<String> superseded = new ArrayList<>();
        try (KeyValueIterator<String, FxRate> older = rates.range(key(rate.getCurrency(), 0), stillValidAtCutoff)) {
            older.forEachRemaining((KeyValue<String, FxRate> entry) -> superseded.add(entry.key));
        }
        superseded.remove(stillValidAtCutoff);
        superseded.forEach(rates::delete);
    }
}
