package io.tributary.benchmarks.endtoend;

import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.localstack.pipeline.TributaryTopics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The input of a measurement, written to Kafka before the job starts: reference data (accounts,
 * merchants, an hour of FX rates either side) and N payment records as producers send them, with
 * 5% duplicates, skewed accounts, 1% bad records and a few late events. Its topics carry a prefix
 * of their own, so runs do not see each other's data.
 *
 * @param prefix the topic prefix of this workload's input topics
 * @param records payment records written
 * @param results records that reach an output: all but the duplicates
 * @param raw records that decode and keep the contract: what warehouse-sink's raw table keeps
 */
record Workload(String prefix, long records, long results, long raw, Instant start) {

    /** Creates the topics and writes the workload. */
    static Workload preload(LocalPipeline pipeline, String prefix, long records, long seed) {
        pipeline.kafka().createTopics(TributaryTopics.newTopics(prefix));
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        // One event a millisecond: N records span N ms of event time, covered by the FX rates.
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(seed).accounts(10_000).merchants(500).start(start).meanGap(Duration.ofMillis(1))
                .lateAfter(records / 10));
        long duplicates = 0;
        long rejected = 0;
        try (TrafficWriter writer = new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(),
                prefix)) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofMillis(records)).plus(Duration.ofHours(1))));
            for (long i = 0; i < records; i++) {
                GeneratedTransaction g = generator.next();
                if (g.kind() == TrafficKind.DUPLICATE) {
                    duplicates++;
                } else if (g.kind().rejected()) {
                    rejected++;
                }
                writer.write(g);
            }
            writer.flush();
        }
        return new Workload(prefix, records, records - duplicates, records - rejected, start);
    }

    /** The input topic of the payments. */
    String transactionsTopic() {
        return prefix + "payments.transactions.v1";
    }
}
