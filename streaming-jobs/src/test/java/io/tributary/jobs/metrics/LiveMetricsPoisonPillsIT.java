package io.tributary.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.TransactionStatus;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.JobStops;
import io.tributary.testing.MinuteRows;
import io.tributary.testing.PoisonPills;
import io.tributary.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison pills on live-metrics' input, as a faulty or hostile producer would write them to the
 * enriched topic between valid payments: bytes without the Confluent magic byte, a record cut short,
 * and a 12-byte record with a real schema id that declares a 1.5 GB string. With restarts off, each
 * must become one dead letter with its bytes and a decode reason, the valid payments their minute
 * row, and the job must go on: no out-of-memory error, no failure.
 */
@ExtendWith(LocalServersExtension.class)
class LiveMetricsPoisonPillsIT {
    private static final String PREFIX = "poisonit-metrics.";
    private static final long MINUTE = 60_000;
    private static final String DATABASE = "poison_pills_it";

    private final long minute = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();

    @Test
    void poisonPillsBecomeDeadLettersAndTheJobGoesOn(KafkaBroker kafka, SchemaRegistryServer registry,
            PostgresServer postgres, @TempDir Path work) throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        JobClient job = LiveMetricsItJob.start(kafka, registry, postgres, PREFIX, DATABASE, work);
        DataSource database = postgres.dataSource(DATABASE);

        PoisonPills pills;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(),
                pipeline.registryConfig(), PREFIX)) {
            EnrichedTransaction first = AlertAttributionTest.payment("first", minute + 500, "5411", "DE", "12.50",
                    TransactionStatus.AUTHORIZED);
            pills = PoisonPills.from(writer.framed(first));
            writer.payment(first);
            for (byte[] pill : pills.all()) {
                writer.raw(TopicContract.ENRICHED_TRANSACTIONS, "acc-1", pill);
            }
            writer.payment(AlertAttributionTest.payment("second", minute + 2_000, "5411", "DE", "7.25",
                    TransactionStatus.DECLINED));
            writer.flush();
            // The minute closes once a later payment moves the watermark, after the quiet partitions went idle.
            Thread.sleep(LiveMetricsItJob.IDLENESS.multipliedBy(2).toMillis());
            writer.payment(AlertAttributionTest.payment("tail", minute + 10 * MINUTE, "5411", "DE", "1.00",
                    TransactionStatus.AUTHORIZED));
            writer.flush();
        }
        List<DeadLetter> deadLetters;
        try {
            List<String> expected = List.of(minute + " 5411 DE 2 19.7500 1 0");
            MinuteRows.await(database, expected);
            deadLetters = TopicReader.awaitDeadLetters(kafka.bootstrapServers(),
                    PREFIX + TopicContract.DEAD_LETTERS.topic(), pipeline.registryConfig(), 3, Duration.ofSeconds(60));

            assertThat(MinuteRows.read(database)).isEqualTo(expected);
            assertThat(job.getJobStatus().get()).as("the job goes on").isEqualTo(JobStatus.RUNNING);
        } finally {
            JobStops.cancelUnlessEnded(job);
        }
        pills.assertDeadLettered(deadLetters, LiveMetricsJob.NAME, PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
    }
}
