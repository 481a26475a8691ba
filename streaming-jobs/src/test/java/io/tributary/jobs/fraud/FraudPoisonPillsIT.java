package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.JobStops;
import io.tributary.testing.PoisonPills;
import io.tributary.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Poison pills on fraud-detection's payments input, between valid payments of one card (see
 * {@link PoisonPills}). With restarts off, each must become one dead letter with its bytes and a
 * decode reason, and the job must go on to the payments after them: the card's feature hash reaches
 * the last payment's event time.
 */
@ExtendWith(LocalServersExtension.class)
class FraudPoisonPillsIT {
    private static final String PREFIX = "poisonit-fraud.";
    private static final String FEATURES = "poisonit:fraud:";

    private final long t0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();

    @Test
    void poisonPillsBecomeDeadLettersAndTheJobGoesOn(KafkaBroker kafka, SchemaRegistryServer registry,
            RedisServer redis, @TempDir Path work) throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        JobClient job = FraudItJob.start(kafka, registry, redis, PREFIX, FEATURES, work);
        PoisonPills pills;
        long last = t0 + 20_000;
        List<DeadLetter> deadLetters;
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(),
                    pipeline.registryConfig(), PREFIX)) {
                EnrichedTransaction first = FraudTestData.payment("p0", t0, 25);
                pills = PoisonPills.from(writer.framed(first));
                writer.payment(first);
                for (byte[] pill : pills.all()) {
                    writer.raw(TopicContract.ENRICHED_TRANSACTIONS, FraudTestData.ACCOUNT, pill);
                }
                writer.payment(FraudTestData.payment("p1", t0 + 10_000, 25));
                writer.payment(FraudTestData.payment("p2", last, 25));
                writer.flush();
                // The watermark passes the payments once a later one comes, after the quiet partitions went idle.
                Thread.sleep(FraudItJob.IDLENESS.multipliedBy(2).toMillis());
                EnrichedTransaction tail = FraudTestData.payment("tail", t0 + 600_000, 25);
                tail.setCardToken("card-tail");
                writer.payment(tail);
                writer.flush();
            }
            String card = FEATURES + "card:" + FraudTestData.CARD;
            try {
                deadLetters = TopicReader.awaitDeadLetters(kafka.bootstrapServers(),
                        PREFIX + TopicContract.DEAD_LETTERS.topic(), pipeline.registryConfig(), 3, Duration.ofSeconds(90));
                FraudItJob.awaitFeatureEventTime(jedis, card, last);

                assertThat(job.getJobStatus().get()).as("the job goes on").isEqualTo(JobStatus.RUNNING);
            } finally {
                JobStops.cancelUnlessEnded(job);
            }
        }
        pills.assertDeadLettered(deadLetters, FraudDetectionJob.NAME, PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
    }
}
