package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.RejectionReason;
import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.internal.FreePorts;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.JobStops;
import io.tributary.testing.StoreDeadLetters;
import io.tributary.testing.TopicReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * fraud-detection on real Kafka, registry and Redis when Redis refuses a write for good: a card's
 * key that something else filled with a list is dead-lettered and the job goes on writing the other
 * features; a Redis user that may not write the features' keys fails the job at once, with what to
 * fix, instead of retrying for {@code tributary.redis.max-retry-time} (5 min).
 */
@ExtendWith(LocalServersExtension.class)
class FraudStoreErrorsIT {
    private static final long MINUTE = 60_000;

    private final long t0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();

    @Test
    void aFeatureKeyHoldingAListIsDeadLetteredAndTheOtherFeaturesAreWritten(KafkaBroker kafka,
            SchemaRegistryServer registry, RedisServer redis, @TempDir Path work) throws Exception {
        String prefix = "storeit-wrongtype.";
        String features = "storeit:wrongtype:";
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.rpush(features + "card:card-poisoned", "written by another service");

            JobClient job = FraudItJob.start(kafka, registry, redis, prefix, features, work);
            try {
                long last = writeTraffic(kafka, pipeline.registryConfig(), prefix);
                TopicReader.awaitDeadLetters(kafka.bootstrapServers(), prefix + TopicContract.DEAD_LETTERS.topic(),
                        pipeline.registryConfig(), 1, Duration.ofSeconds(90));
                FraudItJob.awaitFeatureEventTime(jedis, features + "card:card-ok", last);

                assertThat(job.getJobStatus().get()).as("the job goes on").isEqualTo(JobStatus.RUNNING);
            } finally {
                JobStops.cancelUnlessEnded(job);
            }
            assertThat(jedis.lrange(features + "card:card-poisoned", 0, -1)).containsExactly("written by another service");
            assertThat(jedis.hget(features + "account:" + FraudTestData.ACCOUNT, "event_time")).isNotNull();
        }
        List<DeadLetter> deadLetters = deadLetters(kafka, pipeline.registryConfig(), prefix);
        assertThat(deadLetters).isNotEmpty().allSatisfy(d -> {
            assertThat(d.getReason()).isEqualTo(RejectionReason.STORE_WRONG_TYPE.name());
            assertThat(d.getJob()).isEqualTo(FraudDetectionJob.NAME);
            assertThat(d.getSourceTopic()).isEqualTo(prefix + TopicContract.ENRICHED_TRANSACTIONS.topic());
            assertThat(d.getSourcePartition()).isEqualTo(-1);
            assertThat(d.getSourceOffset()).isEqualTo(-1);
            assertThat(StoreDeadLetters.key(d)).isEqualTo(features + "card:card-poisoned");
            assertThat(StoreDeadLetters.value(d)).startsWith("{\"event_time\":").contains("\"count_1m\":");
            assertThat(d.getReasonDetail()).startsWith("Redis answered WRONGTYPE for this card's feature hash");
        });
    }

    @Test
    void aRedisUserThatMayNotWriteTheFeaturesFailsTheJobAtOnce(KafkaBroker kafka, SchemaRegistryServer registry,
            @TempDir Path work) throws Exception {
        String prefix = "storeit-noperm.";
        String features = "storeit:noperm:";
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        // A Redis of its own: its default user loses access to the features' keys.
        try (RedisServer redis = RedisServer.start(FreePorts.pick()); Jedis admin = new Jedis(redis.host(), redis.port())) {
            admin.aclSetUser("default", "resetkeys", "~other:*");
            JobClient job = FraudItJob.start(kafka, registry, redis, prefix, features, work);
            writeTraffic(kafka, pipeline.registryConfig(), prefix);

            assertThatThrownBy(() -> job.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                    .as("the job fails well within the 5 min of retries of transient errors")
                    .satisfies(failure -> assertThat(ExceptionUtils.findThrowableWithMessage(failure, "Redis at "))
                            .get().extracting(Throwable::getMessage).asString()
                            .startsWith("Redis at " + redis.host() + ":" + redis.port() + " refused ")
                            .contains(" feature hashes: NOPERM this user has no permissions to access one of the keys"
                                    + " used as arguments. Give Redis user default read and write access to keys "
                                    + features + "* and the commands EVALSHA, SCRIPT LOAD, HGET, HSET and PEXPIRE.")
                            .endsWith(" Not retried: no retry can succeed until then."));
        }
    }

    /** Payments of two cards of one account, then a later one that moves the watermark past them; returns the last time of card-ok. */
    private long writeTraffic(KafkaBroker kafka, SchemaRegistryConfig registry, String prefix) throws Exception {
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(), registry, prefix)) {
            long last = 0;
            for (int i = 0; i < 6; i++) {
                String card = i % 2 == 0 ? "card-ok" : "card-poisoned";
                last = t0 + i * 10_000;
                writer.payment(payment("p" + i, card, last));
            }
            writer.flush();
            Thread.sleep(FraudItJob.IDLENESS.multipliedBy(2).toMillis());
            writer.payment(payment("tail", "card-tail", t0 + 10 * MINUTE));
            writer.flush();
            return last - 10_000;
        }
    }

    private static EnrichedTransaction payment(String id, String card, long time) {
        EnrichedTransaction payment = FraudTestData.payment(id, time, 25);
        payment.setCardToken(card);
        return payment;
    }

    private static List<DeadLetter> deadLetters(KafkaBroker kafka, SchemaRegistryConfig registry, String prefix)
            throws IOException {
        return TopicReader.decode(TopicReader.readCommitted(kafka.bootstrapServers(),
                prefix + TopicContract.DEAD_LETTERS.topic()), DeadLetter.class, registry);
    }
}
