package io.tributary.benchmarks.chaos;

import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.TrafficKind;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the enrichment must make of the generated input, computed from the generator's own labels
 * and none of the jobs' classes: every event id of a record that is not rejected comes out exactly
 * once (enriched, or late when it is judged late), retries collapsing into their first; every
 * rejected record, of the payments and of the reference data, becomes exactly one dead letter with
 * the reason its kind calls for. Not thread-safe: the writer thread records, the report reads once
 * writing is over.
 */
final class Oracle {
    /** The reason code a dead letter of each rejected kind must give, as the DLQ's contract names them. */
    private static final Map<TrafficKind, String> REASONS = new EnumMap<>(Map.ofEntries(
            Map.entry(TrafficKind.MALFORMED_NOT_AVRO, "DECODE_WRONG_MAGIC_BYTE"),
            Map.entry(TrafficKind.MALFORMED_TRUNCATED, "DECODE_TRUNCATED"),
            Map.entry(TrafficKind.MALFORMED_UNKNOWN_SCHEMA_ID, "DECODE_UNKNOWN_SCHEMA_ID"),
            // The declared length runs past the record's end: the decoder says so before it allocates.
            Map.entry(TrafficKind.MALFORMED_HUGE_STRING_LENGTH, "DECODE_TRUNCATED"),
            Map.entry(TrafficKind.INVALID_NON_POSITIVE_AMOUNT, "CONTRACT_NON_POSITIVE_AMOUNT"),
            Map.entry(TrafficKind.INVALID_UNKNOWN_CURRENCY, "CONTRACT_UNKNOWN_CURRENCY"),
            Map.entry(TrafficKind.INVALID_TOO_LARGE, "CONTRACT_RECORD_TOO_LARGE"),
            Map.entry(TrafficKind.INVALID_FUTURE_EVENT_TIME, "CONTRACT_FUTURE_EVENT_TIME"),
            Map.entry(TrafficKind.INVALID_LOCATION, "CONTRACT_INVALID_LOCATION"),
            Map.entry(TrafficKind.DUPLICATE_CONFLICT, "DUPLICATE_CONFLICT")));
    /** The reason of a dead letter of an FX rate that is not positive or is absurdly high. */
    static final String INVALID_FX_RATE = "CONTRACT_INVALID_FX_RATE";

    private final Set<String> expectedIds = new HashSet<>();
    private final Map<String, Long> expectedReasons = new TreeMap<>();
    private long records;
    private long unreadable;

    /** Notes one record written to the payments topic. */
    void record(GeneratedTransaction generated) {
        records++;
        TrafficKind kind = generated.kind();
        if (kind.rejected()) {
            String reason = REASONS.get(kind);
            if (reason == null) {
                throw new IllegalArgumentException("The oracle does not know the reason a " + kind + " record gets");
            }
            expectedReasons.merge(reason, 1L, Long::sum);
            // A conflicting duplicate decodes and keeps to the contract: it is read, then rejected.
            if (kind != TrafficKind.DUPLICATE_CONFLICT) {
                unreadable++;
            }
        } else {
            expectedIds.add(generated.transaction().getEventId().toString());
        }
    }

    /** Notes one reference record written that must become one dead letter with {@code reason}. */
    void rejectedReference(String reason) {
        expectedReasons.merge(reason, 1L, Long::sum);
    }

    /** Payment records written. */
    long records() {
        return records;
    }

    /** Payment records that do not decode or break the contract: no job may keep them as a payment. */
    long unreadable() {
        return unreadable;
    }

    /** The event ids that must come out once each. */
    Set<String> expectedIds() {
        return expectedIds;
    }

    /** The records, payments and reference data, that must each become one dead letter. */
    long rejected() {
        return expectedReasons.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The dead letters there must be, by reason. */
    Map<String, Long> expectedReasons() {
        return expectedReasons;
    }
}
