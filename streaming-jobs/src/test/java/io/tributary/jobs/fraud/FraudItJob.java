package io.tributary.jobs.fraud;

import io.tributary.contracts.TopicContract;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.LocalServersJobOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import redis.clients.jedis.Jedis;

/**
 * fraud-detection as the ITs about bad data and failing stores run it: on the extension's servers,
 * its topics under a prefix, its Redis keys under a prefix of their own, and no restarts, so that a
 * record that would fail the job shows as a failed job instead of a restart loop.
 */
final class FraudItJob {
    /** How soon a quiet input partition stops holding the watermark back. */
    static final Duration IDLENESS = Duration.ofSeconds(2);

    private FraudItJob() {}

    static JobClient start(KafkaBroker kafka, SchemaRegistryServer registry, RedisServer redis, String prefix,
            String featureKeyPrefix, Path work) throws Exception {
        return start(options(kafka, registry, redis, prefix, featureKeyPrefix), work, UnaryOperator.identity());
    }

    /** The options {@link #start} runs the job with, for a test to change before it starts the job. */
    static Map<String, String> options(KafkaBroker kafka, SchemaRegistryServer registry, RedisServer redis, String prefix,
            String featureKeyPrefix) {
        Map<String, String> options = LocalServersJobOptions.forJob("fraud", prefix, kafka, registry, IDLENESS);
        options.put("restart-strategy.type", "none");
        options.put("tributary.redis.host", redis.host());
        options.put("tributary.redis.port", String.valueOf(redis.port()));
        options.put("tributary.redis.key-prefix", featureKeyPrefix);
        options.put("tributary.topics.enriched", prefix + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.put("tributary.topics.fraud-rules", prefix + TopicContract.FRAUD_RULES.topic());
        options.put("tributary.topics.fraud-alerts", prefix + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.topics.dead-letters", prefix + TopicContract.DEAD_LETTERS.topic());
        options.put("tributary.topics.erasure-requests", prefix + TopicContract.ERASURE_REQUESTS.topic());
        return options;
    }

    /** Starts the job with {@code options}, with {@code betweenStages} applied between its two stages. */
    static JobClient start(Map<String, String> options, Path work, UnaryOperator<DataStream<ScoredPayment>> betweenStages)
            throws Exception {
        var configuration = JobConfiguration.resolve(null, options, FraudOptions.all()).configuration();
        FraudSettings settings = FraudSettings.from(configuration, Map.of());
        StreamExecutionEnvironment env = JobEnvironments.create(FraudDetectionJob.NAME, configuration, work);
        FraudDetectionJob.build(env, settings, FraudSources.kafka(settings), FraudSinks.kafka(settings), betweenStages);
        return env.executeAsync(FraudDetectionJob.NAME);
    }

    /** Waits until the feature hash {@code key} says it took in a payment of {@code eventTime}; fails after 60 s. */
    static void awaitFeatureEventTime(Jedis jedis, String key, long eventTime) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!String.valueOf(eventTime).equals(jedis.hget(key, "event_time"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(key + " did not reach event time " + eventTime + " within 60 s; it holds "
                        + jedis.hgetAll(key));
            }
            Thread.sleep(500);
        }
    }
}
