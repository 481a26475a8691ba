package io.tributary.jobs.metrics;

import io.tributary.contracts.TopicContract;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.metrics.postgres.MetricsSchema;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.LocalServersJobOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * live-metrics as the ITs about bad data run it: on the extension's servers, its topics under a
 * prefix, its rows in a database of their own, and no restarts, so that a record that would fail the
 * job shows as a failed job instead of a restart loop.
 */
final class LiveMetricsItJob {
    /** How soon a quiet input partition stops holding the watermark back. */
    static final Duration IDLENESS = Duration.ofSeconds(2);

    private LiveMetricsItJob() {}

    /** Migrates the database {@code database} (created if need be) and starts the job on it. */
    static JobClient start(KafkaBroker kafka, SchemaRegistryServer registry, PostgresServer postgres, String prefix,
            String database, Path work) throws Exception {
        postgres.createDatabase(database);
        Map<String, String> options = LocalServersJobOptions.forJob("metrics", prefix, kafka, registry, IDLENESS);
        options.put("restart-strategy.type", "none");
        options.put("tributary.postgres.url", postgres.jdbcUrl(database));
        options.put("tributary.postgres.user", postgres.user());
        options.put("tributary.topics.enriched", prefix + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.put("tributary.topics.fraud-alerts", prefix + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.topics.dead-letters", prefix + TopicContract.DEAD_LETTERS.topic());
        var configuration = JobConfiguration.resolve(null, options, MetricsOptions.all()).configuration();
        MetricsSettings settings = MetricsSettings.from(configuration, Map.of());
        MetricsSchema.migrate(settings.postgres(), Map.of());
        StreamExecutionEnvironment env = JobEnvironments.create(LiveMetricsJob.NAME, configuration, work);
        LiveMetricsJob.build(env, settings, MetricsSources.kafka(settings), MetricsSinks.of(settings));
        return env.executeAsync(LiveMetricsJob.NAME);
    }
}
