package io.tributary.testing;

import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** Generated payments written to a topic, and what the enrichment job must make of them. */
public final class WrittenTraffic {
    /** Event ids that must appear once in the enriched (or late) topic. */
    public final Set<UUID> expected = new HashSet<>();
    /** How many records must reach the DLQ. */
    public int rejected;

    /** Writes the next {@code count} payments of {@code generator}, and flushes. */
    public WrittenTraffic write(TrafficWriter writer, PaymentEventGenerator generator, int count) {
        for (int i = 0; i < count; i++) {
            GeneratedTransaction g = generator.next();
            writer.write(g);
            if (g.kind().rejected()) {
                rejected++;
            } else if (g.kind() != TrafficKind.DUPLICATE) {
                expected.add(g.transaction().getEventId());
            }
        }
        writer.flush();
        return this;
    }
}
