package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.jobs.common.AlwaysIdleWatermarks;
import io.tributary.jobs.common.DeadLetterRouter;
import io.tributary.jobs.common.Decoded;
import io.tributary.jobs.common.EnrichedPayments;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.common.store.StoreWriteOperator;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.LocalServersJobOptions;
import io.tributary.testing.StreamJobProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upgrade of fraud-detection across the change that gave the account stage its erasure input: a
 * canonical savepoint of the previous graph (the account stage a one-input operator,
 * {@link OneInputAccountFeatureScorer}, under the same uid) restores into today's job, whose state
 * then holds the accounts it had (read from the savepoint, not the topic: the consumer group is past
 * them), and an erasure request removes one of them from the next canonical savepoint.
 */
@ExtendWith(LocalServersExtension.class)
class FraudDetectionSavepointIT {
    private static final String PREFIX = "fraudsavepoint.";
    private static final long MINUTE = 60_000;

    @Test
    void aSavepointOfTheOneInputVersionRestoresAndAnErasureRemovesItsAccount(KafkaBroker kafka,
            SchemaRegistryServer registry, RedisServer redis) throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        long t0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(),
                pipeline.registryConfig(), PREFIX)) {
            for (int i = 0; i < 5; i++) {
                writer.payment(payment("erased-" + i, "acc-erased", "card-erased", t0 + i * MINUTE));
                writer.payment(payment("kept-" + i, "acc-kept", "card-kept", t0 + i * MINUTE));
            }
            writer.flush();
        }
        Path work = Files.createTempDirectory("fraud-savepoint");
        Configuration configuration = configuration(kafka, registry, redis);
        FraudSettings settings = FraudSettings.from(configuration, Map.of());
        String enriched = PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic();

        StreamExecutionEnvironment previous = JobEnvironments.create(FraudDetectionJob.NAME, configuration,
                work.resolve("previous"));
        buildThePreviousVersion(previous, settings, FraudSources.kafka(settings), FraudSinks.kafka(settings));
        JobClient before = previous.executeAsync(FraudDetectionJob.NAME);
        StreamJobProgress.awaitCommitted(kafka.bootstrapServers(), PREFIX + "fraud", List.of(enriched),
                Duration.ofMinutes(2));
        String savepoint = before.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        before.getJobExecutionResult().get();
        assertThat(StreamJobProgress.filesHolding(List.of(StreamJobProgress.folder(savepoint)),
                List.of("acc-erased", "acc-kept"))).as("the search can fail")
                .anyMatch(f -> f.endsWith("holds acc-erased")).anyMatch(f -> f.endsWith("holds acc-kept"));

        Configuration restored = new Configuration(configuration);
        restored.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment current = JobEnvironments.create(FraudDetectionJob.NAME, restored, work.resolve("current"));
        FraudDetectionJob.build(current, settings, FraudSources.kafka(settings), FraudSinks.kafka(settings));
        JobClient after = current.executeAsync(FraudDetectionJob.NAME);
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(),
                pipeline.registryConfig(), PREFIX)) {
            writer.erasureRequest("acc-erased");
            writer.flush();
        }
        StreamJobProgress.awaitCommitted(kafka.bootstrapServers(), PREFIX + "fraud",
                List.of(PREFIX + TopicContract.ERASURE_REQUESTS.topic()), Duration.ofMinutes(2));
        String next = after.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        after.getJobExecutionResult().get();

        List<String> found = StreamJobProgress.filesHolding(List.of(StreamJobProgress.folder(next)),
                List.of("acc-erased", "acc-kept"));
        // The kept account's state came from the savepoint: the job did not read the payments again.
        assertThat(found).anyMatch(f -> f.endsWith("holds acc-kept")).noneMatch(f -> f.endsWith("holds acc-erased"));
    }

    private static Configuration configuration(KafkaBroker kafka, SchemaRegistryServer registry, RedisServer redis) {
        Map<String, String> options = LocalServersJobOptions.forJob("fraud", PREFIX, kafka, registry, Duration.ofSeconds(2));
        options.put("execution.checkpointing.interval", "1 s");
        // Not EARLIEST: started without the savepoint, the job would find the group past every payment
        // and read none, so the state after the upgrade can only come from the savepoint.
        options.put("tributary.kafka.starting-offsets", "COMMITTED");
        options.put("tributary.redis.host", redis.host());
        options.put("tributary.redis.port", String.valueOf(redis.port()));
        options.put("tributary.redis.key-prefix", "fraudsavepoint:features:");
        options.put("tributary.topics.enriched", PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.put("tributary.topics.fraud-rules", PREFIX + TopicContract.FRAUD_RULES.topic());
        options.put("tributary.topics.fraud-alerts", PREFIX + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.topics.dead-letters", PREFIX + TopicContract.DEAD_LETTERS.topic());
        options.put("tributary.topics.erasure-requests", PREFIX + TopicContract.ERASURE_REQUESTS.topic());
        return JobConfiguration.resolve(null, options, FraudOptions.all()).configuration();
    }

    private static EnrichedTransaction payment(String id, String account, String card, long time) {
        EnrichedTransaction payment = FraudTestData.payment(id, time, 10);
        payment.setAccountId(account);
        payment.setCardToken(card);
        return payment;
    }

    /** fraud-detection's graph as it was before it read erasure requests: same uids, same operators. */
    private static void buildThePreviousVersion(StreamExecutionEnvironment env, FraudSettings settings,
            FraudSources sources, FraudSinks sinks) {
        SingleOutputStreamOperator<Decoded<EnrichedTransaction>> payments = EnrichedPayments.read(env,
                sources.payments(), settings.maxOutOfOrderness(), settings.idleness());
        SingleOutputStreamOperator<Decoded<FraudRule>> rules = DeadLetterRouter.readReference(env, sources.rules(),
                WatermarkStrategy.forGenerator(ctx -> new AlwaysIdleWatermarks<>()), FraudSources.RULES_TYPE,
                "fraud-rules");
        SingleOutputStreamOperator<ScoredPayment> scored = payments
                .map(d -> d.value, TypeInformation.of(EnrichedTransaction.class))
                .name("enriched payments").uid("enriched-payments")
                .keyBy(EnrichedTransaction::getAccountId)
                .process(new OneInputAccountFeatureScorer(settings.dedupTtl(), settings.deviceMemory()),
                        ScoredPayment.TYPE)
                .name("account features").uid("account-feature-scorer");
        SingleOutputStreamOperator<FraudAlert> alerts = scored
                .keyBy(ScoredPayment::cardToken)
                .connect(rules.broadcast(CardRuleEvaluator.RULES))
                .process(new CardRuleEvaluator(settings.maxVelocityWindow(), settings.cardRetention(),
                        settings.alertMemory(), RulesAtStart.none()), TypeInformation.of(FraudAlert.class))
                .name("card features and rules").uid("card-rule-evaluator");
        alerts.sinkTo(sinks.alerts()).name("alerts sink").uid("alerts-sink");
        DataStream<DeadLetter> refusedFeatures = StoreWriteOperator.write(alerts.getSideOutput(CardRuleEvaluator.FEATURES),
                sinks.features(), FraudDetectionJob.NAME, settings.topics().enriched(), "redis features sink",
                "redis-features-sink");
        payments.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(rules.getSideOutput(DeadLetterRouter.DEAD_LETTERS), refusedFeatures)
                .sinkTo(sinks.deadLetters()).name("dead-letter sink").uid("dead-letter-sink");
    }
}
