package io.tributary.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.TransactionStatus;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.JobStops;
import io.tributary.testing.MinuteRows;
import io.tributary.testing.StoreDeadLetters;
import io.tributary.testing.TopicReader;
import java.io.IOException;
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
 * live-metrics on real Kafka, registry and PostgreSQL when a minute's USD total outgrows its column
 * (numeric(20, 4), under 10^16): that row is dead-lettered, the minute's other rows are written, and
 * the job goes on, instead of retrying for 5 minutes and restarting into the same row forever.
 */
@ExtendWith(LocalServersExtension.class)
class LiveMetricsStoreErrorsIT {
    private static final String PREFIX = "storeit-overflow.";
    private static final long MINUTE = 60_000;
    /** The largest amount_usd an enriched payment can carry (decimal(18, 4)), nearly: 120 of them pass 10^16. */
    private static final String HUGE_USD = "99000000000000.00";

    private final long minute = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();

    @Test
    void aMinuteRowThatOverflowsItsColumnIsDeadLetteredAndTheOthersAreWritten(KafkaBroker kafka,
            SchemaRegistryServer registry, PostgresServer postgres, @TempDir Path work) throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        JobClient job = LiveMetricsItJob.start(kafka, registry, postgres, PREFIX, "store_errors_it", work);
        DataSource database = postgres.dataSource("store_errors_it");

        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(),
                pipeline.registryConfig(), PREFIX)) {
            for (int i = 0; i < 120; i++) {
                writer.payment(AlertAttributionTest.payment("huge-" + i, minute + i * 100, "4829", "FR", HUGE_USD,
                        TransactionStatus.AUTHORIZED));
            }
            writer.payment(AlertAttributionTest.payment("small-1", minute + 1_000, "5411", "DE", "12.50",
                    TransactionStatus.AUTHORIZED));
            writer.payment(AlertAttributionTest.payment("small-2", minute + 2_000, "5411", "DE", "7.25",
                    TransactionStatus.DECLINED));
            writer.flush();
            // The minute closes once a later payment moves the watermark, after the quiet partitions went idle.
            Thread.sleep(LiveMetricsItJob.IDLENESS.multipliedBy(2).toMillis());
            writer.payment(AlertAttributionTest.payment("tail", minute + 10 * MINUTE, "5411", "DE", "1.00",
                    TransactionStatus.AUTHORIZED));
            writer.flush();
        }
        try {
            List<String> expected = List.of(minute + " 5411 DE 2 19.7500 1 0");
            MinuteRows.await(database, expected);
            TopicReader.awaitDeadLetters(kafka.bootstrapServers(),
                    PREFIX + TopicContract.DEAD_LETTERS.topic(), pipeline.registryConfig(), 1, Duration.ofSeconds(60));

            assertThat(MinuteRows.read(database)).isEqualTo(expected);
            assertThat(job.getJobStatus().get()).as("the job goes on").isEqualTo(JobStatus.RUNNING);
        } finally {
            JobStops.cancelUnlessEnded(job);
        }
        List<DeadLetter> deadLetters = deadLetters(kafka, pipeline.registryConfig());
        assertThat(deadLetters).hasSize(1);
        DeadLetter deadLetter = deadLetters.get(0);
        String windowStart = Instant.ofEpochMilli(minute).toString();
        assertThat(deadLetter.getReason()).isEqualTo(RejectionReason.STORE_NUMERIC_OVERFLOW.name());
        assertThat(deadLetter.getJob()).isEqualTo(LiveMetricsJob.NAME);
        assertThat(deadLetter.getSourceTopic()).isEqualTo(PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
        assertThat(deadLetter.getSourceTimestamp()).isEqualTo(Instant.ofEpochMilli(minute));
        assertThat(StoreDeadLetters.key(deadLetter)).isEqualTo("live_metrics_minute/" + windowStart + "/4829/FR");
        assertThat(StoreDeadLetters.value(deadLetter)).isEqualTo("{\"window_start\":\"" + windowStart
                + "\",\"merchant_category\":\"4829\",\"country\":\"FR\",\"payments\":120,"
                + "\"amount_usd\":11880000000000000.0000,\"declines\":0,\"alerts\":0}");
        assertThat(deadLetter.getReasonDetail()).contains("SQLSTATE 22003");
    }

    private static List<DeadLetter> deadLetters(KafkaBroker kafka, SchemaRegistryConfig registry) throws IOException {
        return TopicReader.decode(TopicReader.readCommitted(kafka.bootstrapServers(),
                PREFIX + TopicContract.DEAD_LETTERS.topic()), DeadLetter.class, registry);
    }
}
