package io.tributary.benchmarks.chaos;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The feature hash each account must have in Redis, computed from the enriched payments as read
 * from the topic, by this code and none of the jobs': fraud-detection scores an account's payments
 * in event-time order and writes the features as of the newest, so the hash must hold that
 * payment's {@code event_time} and, over the account's payments up to it, the counts and USD sums
 * of the 1, 10, 60 and 1,440 whole minutes ending with its minute and the distinct countries of the
 * hour up to it (the data dictionary's definitions). Sums are compared to the cent.
 */
final class AccountFeatures {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final Map<String, Long> WINDOW_MINUTES = windows();
    private static final double CENT = 0.01;

    private AccountFeatures() {}

    /** What the check needs of one enriched payment. */
    record Payment(String account, String eventId, long eventTime, BigDecimal amountUsd, String country) {

        /** The facts of a decoded enriched record; {@code amountUsd} is null without a known rate. */
        static Payment of(GenericRecord enriched, Map<String, String> interned) {
            Object usd = enriched.get("amount_usd");
            BigDecimal amountUsd = null;
            if (usd instanceof ByteBuffer bytes) {
                Schema schema = decimalSchema(enriched.getSchema().getField("amount_usd").schema());
                amountUsd = new Conversions.DecimalConversion().fromBytes(bytes.duplicate(), schema,
                        schema.getLogicalType());
            }
            Object country = enriched.get("country");
            return new Payment(interned.computeIfAbsent(enriched.get("account_id").toString(), a -> a),
                    enriched.get("event_id").toString(), (Long) enriched.get("event_time"), amountUsd,
                    country == null ? null : interned.computeIfAbsent(country.toString(), c -> c));
        }

        private static Schema decimalSchema(Schema schema) {
            if (schema.getType() == Schema.Type.UNION) {
                return schema.getTypes().stream().filter(s -> s.getLogicalType() instanceof LogicalTypes.Decimal)
                        .findFirst().orElseThrow();
            }
            return schema;
        }
    }

    /**
     * The fields each account of {@code accounts} must have, from every enriched payment of it in
     * {@code payments}: {@code event_time} as epoch milliseconds, the others as numbers.
     */
    static Map<String, Map<String, Double>> expected(Collection<Payment> payments, Set<String> accounts) {
        Map<String, Payment> newest = new HashMap<>();
        for (Payment p : payments) {
            if (accounts.contains(p.account())) {
                newest.merge(p.account(), p, (a, b) -> later(a, b) ? a : b);
            }
        }
        Map<String, Map<String, Double>> expected = new HashMap<>();
        Map<String, Set<String>> countries = new HashMap<>();
        newest.forEach((account, last) -> {
            Map<String, Double> fields = new LinkedHashMap<>();
            fields.put("event_time", (double) last.eventTime());
            WINDOW_MINUTES.keySet().forEach(window -> {
                fields.put("count_" + window, 0.0);
                fields.put("sum_usd_" + window, 0.0);
            });
            expected.put(account, fields);
            countries.put(account, new HashSet<>());
        });
        for (Payment p : payments) {
            Payment last = newest.get(p.account());
            if (last == null || later(p, last)) {
                continue;
            }
            Map<String, Double> fields = expected.get(p.account());
            long minutesBefore = Math.floorDiv(last.eventTime(), MINUTE) - Math.floorDiv(p.eventTime(), MINUTE);
            WINDOW_MINUTES.forEach((window, minutes) -> {
                if (minutesBefore < minutes) {
                    fields.merge("count_" + window, 1.0, Double::sum);
                    if (p.amountUsd() != null) {
                        fields.merge("sum_usd_" + window, p.amountUsd().doubleValue(), Double::sum);
                    }
                }
            });
            if (p.country() != null && p.eventTime() > last.eventTime() - HOUR) {
                countries.get(p.account()).add(p.country());
            }
        }
        expected.forEach((account, fields) ->
                fields.put("distinct_countries_1h", (double) countries.get(account).size()));
        return expected;
    }

    /**
     * The accounts of {@code expected} whose hash in {@code stored} is missing or differs, each with
     * the first field that differs.
     */
    static Map<String, String> differences(Map<String, Map<String, Double>> expected,
            Map<String, Map<String, String>> stored) {
        Map<String, String> differences = new LinkedHashMap<>();
        expected.forEach((account, fields) -> {
            Map<String, String> hash = stored.getOrDefault(account, Map.of());
            for (Map.Entry<String, Double> field : fields.entrySet()) {
                String value = hash.get(field.getKey());
                if (value == null || Math.abs(Double.parseDouble(value) - field.getValue()) >= CENT) {
                    differences.put(account, field.getKey() + " " + value + ", expected " + field.getValue());
                    break;
                }
            }
        });
        return differences;
    }

    /** Whether {@code a} is scored after {@code b}: a later event time, ties by event id. */
    private static boolean later(Payment a, Payment b) {
        return a.eventTime() != b.eventTime() ? a.eventTime() > b.eventTime() : a.eventId().compareTo(b.eventId()) > 0;
    }

    private static Map<String, Long> windows() {
        Map<String, Long> windows = new LinkedHashMap<>();
        windows.put("1m", 1L);
        windows.put("10m", 10L);
        windows.put("1h", 60L);
        windows.put("24h", 1_440L);
        return windows;
    }
}
