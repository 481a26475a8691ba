package io.tributary.benchmarks.chaos;

import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.TrafficKind;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the enrichment must make of the generated input, computed from the generator's own labels
 * and none of the jobs' classes: every event id of a record that is not rejected comes out exactly
 * once (enriched, or late when it is judged late), retries collapsing into their first; every
 * rejected record becomes exactly one dead letter. Not thread-safe: the writer thread records,
 * the report reads once writing is over.
 */
final class Oracle {
    private final Set<String> expectedIds = new HashSet<>();
    private final Map<TrafficKind, Long> byKind = new EnumMap<>(TrafficKind.class);
    private long records;
    private long rejected;

    /** Notes one record written to the payments topic. */
    void record(GeneratedTransaction generated) {
        records++;
        byKind.merge(generated.kind(), 1L, Long::sum);
        if (generated.kind().rejected()) {
            rejected++;
        } else {
            expectedIds.add(generated.transaction().getEventId().toString());
        }
    }

    /** Payment records written. */
    long records() {
        return records;
    }

    /** The event ids that must come out once each. */
    Set<String> expectedIds() {
        return expectedIds;
    }

    /** The records that must each become one dead letter. */
    long rejected() {
        return rejected;
    }

    /** Records written, by the generator's label. */
    Map<TrafficKind, Long> byKind() {
        return byKind;
    }
}
