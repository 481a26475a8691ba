package io.tributary.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.metrics.postgres.MetricsSchema;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.FailureInjector;
import io.tributary.testing.LocalServersJobOptions;
import io.tributary.testing.MinuteRows;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * live-metrics end to end on real Kafka, registry and PostgreSQL, through two failures injected
 * after completed checkpoints: payments (some out of order, some late within the allowed lateness,
 * some beyond it) and alerts in; the minute rows equal this test's own totals of the input,
 * late updates included, too-late payments left out, nothing counted twice.
 */
@ExtendWith(LocalServersExtension.class)
class LiveMetricsFailoverIT {
    private static final String PREFIX = "metricsit.";
    private static final String FAILURES = "live-metrics-failover";
    private static final long MINUTE = 60_000;
    private static final Duration IDLENESS = Duration.ofSeconds(2);
    private static final String[] CATEGORIES = {"5411", "5812", "5999", "4111"};
    private static final String[] COUNTRIES = {"DE", "FR", "ES"};

    private final long t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS).toEpochMilli();
    /** What the rows must say: (minute, category, country) to payments, USD, declines, alerts. */
    private final Map<String, long[]> expectedCounts = new TreeMap<>();
    private final Map<String, BigDecimal> expectedUsd = new TreeMap<>();

    @Test
    void minuteRowsEqualTheInputsTotalsThroughTwoFailures(KafkaBroker kafka, SchemaRegistryServer registry,
            PostgresServer postgres) throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        DataSource database = postgres.createDatabase("live_metrics_it");
        MetricsSettings settings = settings(kafka, registry, postgres);
        MetricsSchema.migrate(settings.postgres(), Map.of());

        Random random = new Random(5);
        List<EnrichedTransaction> ordered = new ArrayList<>();
        for (long t = t0; t < t0 + 40 * MINUTE; t += 500 + random.nextInt(1000)) {
            ordered.add(payment("p" + t, t, random));
        }
        long end = ordered.get(ordered.size() - 1).getEventTime().toEpochMilli();

        JobClient job;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(), pipeline.registryConfig(),
                PREFIX)) {
            job = start(settings);
            for (int i = 0; i < ordered.size(); i++) {
                EnrichedTransaction p = ordered.get(i);
                writer.payment(p);
                count(p);
                if (random.nextInt(25) == 0) {
                    FraudAlert alert = io.tributary.jobs.metrics.AlertAttributionTest.alert(p, "rule-" + random.nextInt(2));
                    writer.alert(alert);
                    countAlert(p);
                }
                // Every 300 payments, once the job has read them and its watermark has moved on: a few
                // from two minutes ago, late (their minute has been written) but within the allowed
                // lateness, so they update it.
                if (i % 300 == 299) {
                    writer.flush();
                    Thread.sleep(1_000);
                    long now = p.getEventTime().toEpochMilli();
                    for (int late = 0; late < 3; late++) {
                        EnrichedTransaction l = payment("late-" + now + "-" + late, now - 2 * MINUTE - late * 1_000, random);
                        writer.payment(l);
                        count(l);
                    }
                    writer.flush();
                }
            }
            writer.flush();
            awaitFailures();
            // Beyond the allowed lateness (5 min): dropped and counted by Flink, never in a row.
            Thread.sleep(2_000);
            for (int tooLate = 0; tooLate < 5; tooLate++) {
                writer.payment(payment("too-late-" + tooLate, end - 20 * MINUTE, random));
            }
            writer.flush();
            // The last minutes close once a later payment moves the watermark, after the other
            // partitions, quiet by then, have gone idle.
            Thread.sleep(IDLENESS.multipliedBy(2).toMillis());
            writer.payment(payment("tail", end + 10 * MINUTE, random));
            writer.flush();
            MinuteRows.await(database, expectedRows());
            Thread.sleep(3_000);
        }
        job.cancel().get();

        assertThat(FailureInjector.injected(FAILURES)).isEqualTo(2);
        assertThat(MinuteRows.read(database)).isEqualTo(expectedRows());
    }

    private void awaitFailures() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (FailureInjector.injected(FAILURES) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private EnrichedTransaction payment(String id, long time, Random random) {
        String usd = (1 + random.nextInt(20_000)) / 100 + "." + String.format("%02d", random.nextInt(100));
        return AlertAttributionTest.payment(id, time, CATEGORIES[random.nextInt(CATEGORIES.length)],
                COUNTRIES[random.nextInt(COUNTRIES.length)], usd,
                random.nextInt(10) == 0 ? TransactionStatus.DECLINED : TransactionStatus.AUTHORIZED);
    }

    private static String rowKey(EnrichedTransaction p) {
        long minute = Math.floorDiv(p.getEventTime().toEpochMilli(), MINUTE) * MINUTE;
        return minute + " " + p.getMerchantCategoryCode() + " " + p.getCountry();
    }

    private void count(EnrichedTransaction p) {
        long[] c = expectedCounts.computeIfAbsent(rowKey(p), k -> new long[3]);
        c[0]++;
        c[1] += p.getStatus() == TransactionStatus.DECLINED ? 1 : 0;
        expectedUsd.merge(rowKey(p), p.getAmountUsd(), BigDecimal::add);
    }

    private void countAlert(EnrichedTransaction p) {
        expectedCounts.get(rowKey(p))[2]++;
    }

    private List<String> expectedRows() {
        List<String> rows = new ArrayList<>();
        expectedCounts.forEach((key, c) -> rows.add(key + " " + c[0] + " " + expectedUsd.get(key).setScale(4).toPlainString()
                + " " + c[1] + " " + c[2]));
        return rows;
    }

    private MetricsSettings settings(KafkaBroker kafka, SchemaRegistryServer registry, PostgresServer postgres) {
        Map<String, String> options = LocalServersJobOptions.forJob("metrics", PREFIX, kafka, registry, IDLENESS);
        options.put("tributary.postgres.url", postgres.jdbcUrl("live_metrics_it"));
        options.put("tributary.postgres.user", postgres.user());
        options.put("tributary.topics.enriched", PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.put("tributary.topics.fraud-alerts", PREFIX + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.topics.dead-letters", PREFIX + TopicContract.DEAD_LETTERS.topic());
        this.configuration = JobConfiguration.resolve(null, options, MetricsOptions.all()).configuration();
        return MetricsSettings.from(configuration, Map.of());
    }

    private org.apache.flink.configuration.Configuration configuration;

    private JobClient start(MetricsSettings settings) throws Exception {
        StreamExecutionEnvironment env = JobEnvironments.create(LiveMetricsJob.NAME, configuration,
                Files.createTempDirectory("live-metrics-failover"));
        LiveMetricsJob.build(env, settings, MetricsSources.kafka(settings), MetricsSinks.of(settings),
                contributions -> FailureInjector.addTo(contributions, Contribution.class, FAILURES, 2));
        return env.executeAsync(LiveMetricsJob.NAME);
    }
}
