package io.tributary.jobs.warehouse;

import io.tributary.contracts.TopicContract;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.enrichment.EnrichmentOptions;
import io.tributary.jobs.enrichment.EnrichmentSettings;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.jobs.fraud.FraudDetectionJob;
import io.tributary.jobs.fraud.FraudOptions;
import io.tributary.jobs.fraud.FraudSettings;
import io.tributary.jobs.fraud.FraudSinks;
import io.tributary.jobs.fraud.FraudSources;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.LocalServersJobOptions;
import io.tributary.testing.StreamJobProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * transactions-enrichment and fraud-detection run unbounded over the warehouse fixture's topics, as
 * in production, for {@link GdprErasureIT}: so that their state holds the fixture's accounts and
 * cards, and savepoints of it can be searched. Enrichment reads the fixture's inputs with the
 * fixture's tokenization key and writes topics of its own (nothing else reads them); fraud-detection
 * reads the enriched payments the fixture's run committed and the fixture's erasure requests, and
 * writes alerts, dead letters and Redis features of its own.
 */
final class StreamStateOfTheRun implements AutoCloseable {
    private static final String PREFIX = "gdpr-state.";

    private final WarehouseFixture fixture;
    private final Path work;
    private final JobClient enrichment;
    private final JobClient fraud;

    StreamStateOfTheRun(WarehouseFixture fixture) throws Exception {
        this.fixture = fixture;
        KafkaBroker kafka = LocalServers.kafka();
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        work = Files.createTempDirectory("gdpr-stream-state");

        Map<String, String> enrichmentOptions = new HashMap<>(fixture.setup.options);
        enrichmentOptions.remove("tributary.kafka.stop-at-latest");
        enrichmentOptions.put("tributary.kafka.group-id", PREFIX + "enrichment");
        enrichmentOptions.put("tributary.enrichment.transactional-id-prefix", PREFIX + "enrichment");
        enrichmentOptions.put("execution.checkpointing.interval", "1 s");
        for (String topic : List.of("enriched", "late", "dead-letters")) {
            enrichmentOptions.put("tributary.topics." + topic, PREFIX + fixture.setup.topic(topic)
                    .substring(fixture.setup.prefix.length()));
        }
        var enrichmentConf = JobConfiguration.resolve(null, enrichmentOptions, EnrichmentOptions.all()).configuration();
        EnrichmentSettings settings = EnrichmentSettings.from(enrichmentConf,
                Map.of("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(new byte[32])))
                .withInlineKey(fixture.setup.key);
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, enrichmentConf,
                work.resolve("enrichment"));
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings));
        enrichment = env.executeAsync(TransactionsEnrichmentJob.NAME);

        RedisServer redis = LocalServers.redis();
        Map<String, String> fraudOptions = LocalServersJobOptions.forJob("fraud", PREFIX, kafka, LocalServers.schemaRegistry(),
                Duration.ofSeconds(2));
        fraudOptions.put("execution.checkpointing.interval", "1 s");
        fraudOptions.put("tributary.redis.host", redis.host());
        fraudOptions.put("tributary.redis.port", String.valueOf(redis.port()));
        fraudOptions.put("tributary.redis.key-prefix", "gdpr-state:features:");
        fraudOptions.put("tributary.topics.enriched", fixture.setup.topic("enriched"));
        fraudOptions.put("tributary.topics.fraud-rules", fixture.setup.prefix + TopicContract.FRAUD_RULES.topic());
        fraudOptions.put("tributary.topics.erasure-requests", erasureRequestsTopic());
        fraudOptions.put("tributary.topics.fraud-alerts", PREFIX + TopicContract.FRAUD_ALERTS.topic());
        fraudOptions.put("tributary.topics.dead-letters", PREFIX + TopicContract.DEAD_LETTERS.topic());
        var fraudConf = JobConfiguration.resolve(null, fraudOptions, FraudOptions.all()).configuration();
        FraudSettings fraudSettings = FraudSettings.from(fraudConf, Map.of());
        StreamExecutionEnvironment fraudEnv = JobEnvironments.create(FraudDetectionJob.NAME, fraudConf, work.resolve("fraud"));
        FraudDetectionJob.build(fraudEnv, fraudSettings, FraudSources.kafka(fraudSettings), FraudSinks.kafka(fraudSettings));
        fraud = fraudEnv.executeAsync(FraudDetectionJob.NAME);
    }

    String erasureRequestsTopic() {
        return fixture.setup.prefix + TopicContract.ERASURE_REQUESTS.topic();
    }

    /**
     * Waits until both jobs have checkpointed past every record now in their inputs (their consumer
     * groups' committed offsets, which the Kafka source commits when a checkpoint completes): what
     * they read is then in their state.
     */
    void awaitEverythingRead() throws Exception {
        String kafka = LocalServers.kafka().bootstrapServers();
        StreamJobProgress.awaitCommitted(kafka, PREFIX + "enrichment",
                List.of(fixture.setup.topic("transactions"), fixture.setup.topic("accounts")), Duration.ofMinutes(3));
        StreamJobProgress.awaitCommitted(kafka, PREFIX + "fraud", List.of(fixture.setup.topic("enriched"),
                erasureRequestsTopic()), Duration.ofMinutes(3));
    }

    /** A canonical savepoint of each job, the jobs running on: its folders. */
    List<Path> savepoints(String name) throws Exception {
        return List.of(savepoint(enrichment, name + "-enrichment", false), savepoint(fraud, name + "-fraud", false));
    }

    /** Stops both jobs with a canonical savepoint each: its folders. */
    List<Path> stopWithSavepoints(String name) throws Exception {
        List<Path> paths = List.of(savepoint(enrichment, name + "-enrichment", true), savepoint(fraud, name + "-fraud", true));
        enrichment.getJobExecutionResult().get();
        fraud.getJobExecutionResult().get();
        return paths;
    }

    private Path savepoint(JobClient job, String name, boolean stop) throws Exception {
        // Canonical, not native: a native (RocksDB) savepoint, like an incremental checkpoint, may keep
        // an erased key in an SST file written before the erasure until compaction rewrites it.
        String target = work.resolve("savepoints").resolve(name).toUri().toString();
        String path = stop ? job.stopWithSavepoint(false, target, SavepointFormatType.CANONICAL).get()
                : job.triggerSavepoint(target, SavepointFormatType.CANONICAL).get();
        return StreamJobProgress.folder(path);
    }

    @Override
    public void close() throws Exception {
        for (JobClient job : List.of(enrichment, fraud)) {
            try {
                if (!job.getJobStatus().get().isGloballyTerminalState()) {
                    job.cancel().get();
                }
            } catch (Exception e) {
                // Already gone.
            }
        }
    }
}
