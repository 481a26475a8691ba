package io.tributary.jobs.enrichment.quality;

import io.tributary.events.MaskedTransaction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What the payments of one input topic looked like in one window of processing time: how many,
 * how many lacked each optional field, their amounts as {@link AmountBuckets} counts, their
 * currencies, and the writer schema ids they were written with. Counts only, no value of a payment,
 * so nothing personal. A Flink POJO of arrays (no Kryo): it travels from the profilers to the
 * monitor and is the monitor's kept baseline.
 */
public class InputProfile {
    public static final TypeInformation<InputProfile> TYPE = TypeInformation.of(InputProfile.class);

    public String topic;
    /** Start of the window, epoch milliseconds, a multiple of the window's length. */
    public long windowStart;
    public long records;
    /** Payments whose optional field was null, by {@link OptionalPaymentField} ordinal. */
    public long[] nulls;
    /** Payments by {@link AmountBuckets} bin. */
    public long[] amountBuckets;
    /** Currency codes, and how many payments had each (same order). */
    public String[] currencies;
    public long[] currencyCounts;
    /** The distinct Confluent schema ids the payments were written with. */
    public int[] writerSchemaIds;

    public InputProfile() {}

    /** Nulls of {@code field}; 0 in a profile kept by a version that did not know the field. */
    long nulls(OptionalPaymentField field) {
        return field.ordinal() < nulls.length ? nulls[field.ordinal()] : 0;
    }

    /** Sums payments and profiles of one topic into one profile. */
    static final class Accumulator {
        private final String topic;
        private long records;
        private final long[] nulls = new long[OptionalPaymentField.values().length];
        private final long[] amountBuckets = new long[AmountBuckets.COUNT];
        private final Map<String, Long> currencies = new HashMap<>();
        private final Set<Integer> writerSchemaIds = new HashSet<>();

        Accumulator(String topic) {
            this.topic = topic;
        }

        /** @param writerSchemaId null when the payment was not read in the Confluent wire format */
        void add(MaskedTransaction payment, Integer writerSchemaId) {
            records++;
            for (OptionalPaymentField field : OptionalPaymentField.values()) {
                if (field.isNull(payment)) {
                    nulls[field.ordinal()]++;
                }
            }
            amountBuckets[AmountBuckets.of(payment.getAmount())]++;
            currencies.merge(payment.getCurrency(), 1L, Long::sum);
            if (writerSchemaId != null) {
                writerSchemaIds.add(writerSchemaId);
            }
        }

        void add(InputProfile profile) {
            records += profile.records;
            for (OptionalPaymentField field : OptionalPaymentField.values()) {
                nulls[field.ordinal()] += profile.nulls(field);
            }
            for (int i = 0; i < Math.min(amountBuckets.length, profile.amountBuckets.length); i++) {
                amountBuckets[i] += profile.amountBuckets[i];
            }
            for (int i = 0; i < profile.currencies.length; i++) {
                currencies.merge(profile.currencies[i], profile.currencyCounts[i], Long::sum);
            }
            for (int id : profile.writerSchemaIds) {
                writerSchemaIds.add(id);
            }
        }

        long records() {
            return records;
        }

        InputProfile toProfile(long windowStart) {
            InputProfile profile = new InputProfile();
            profile.topic = topic;
            profile.windowStart = windowStart;
            profile.records = records;
            profile.nulls = nulls.clone();
            profile.amountBuckets = amountBuckets.clone();
            profile.currencies = currencies.keySet().toArray(String[]::new);
            profile.currencyCounts = currencies.values().stream().mapToLong(Long::longValue).toArray();
            profile.writerSchemaIds = writerSchemaIds.stream().mapToInt(Integer::intValue).toArray();
            return profile;
        }
    }
}
