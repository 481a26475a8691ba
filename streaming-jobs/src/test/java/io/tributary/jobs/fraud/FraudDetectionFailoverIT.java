package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.events.RuleType;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.metrics.Contribution;
import io.tributary.jobs.metrics.LiveMetricsJob;
import io.tributary.jobs.metrics.MetricsOptions;
import io.tributary.jobs.metrics.MetricsSettings;
import io.tributary.jobs.metrics.MetricsSinks;
import io.tributary.jobs.metrics.MetricsSources;
import io.tributary.jobs.metrics.postgres.MetricsSchema;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.PostgresServer;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.FailureInjector;
import io.tributary.testing.LocalServersJobOptions;
import io.tributary.testing.MinuteRows;
import io.tributary.testing.TopicReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * fraud-detection and live-metrics end to end on real Kafka, registry, Redis and PostgreSQL, each
 * through two failures injected after completed checkpoints: clean traffic and labelled fraud
 * patterns in, exactly the expected alerts out (read_committed), a rule changed while the job runs
 * applying from its effective time, a malformed rule in the DLQ, the Redis features equal to a
 * computation of this test's own, and the minute rows with every payment and every alert (read by
 * live-metrics from what fraud-detection committed) once.
 */
@ExtendWith(LocalServersExtension.class)
class FraudDetectionFailoverIT {
    private static final String PREFIX = "fraudit.";
    private static final String FAILURES = "fraud-detection-failover";
    private static final String METRICS_FAILURES = "fraud-pipeline-live-metrics";
    private static final String REDIS_PREFIX = "fraudit:features:";
    private static final long MINUTE = 60_000;
    private static final Duration IDLENESS = Duration.ofSeconds(2);

    private final Instant start = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.HOURS);
    private final long t0 = start.toEpochMilli();
    /** The second version of the burst rule takes effect here; the first half of the traffic is before it. */
    private final long tMid = t0 + 70 * MINUTE;
    private final List<EnrichedTransaction> payments = new ArrayList<>();
    private final Set<UUID> expectedAlerts = new TreeSet<>();
    private final List<String> expectedAlertTransactions = new ArrayList<>();

    @Test
    void alertsExactlyOnceAndFeaturesInRedisThroughTwoFailures(KafkaBroker kafka, SchemaRegistryServer registry,
            RedisServer redis, PostgresServer postgres) throws Exception {
        DataSource dashboards = postgres.createDatabase("fraud_pipeline_it");
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        kafka.createTopics(TributaryTopics.newTopics(PREFIX));
        SchemaRegistryConfig registryConfig = pipeline.registryConfig();
        List<EnrichedTransaction> firstHalf = traffic(true);
        List<EnrichedTransaction> secondHalf = traffic(false);

        JobClient job;
        JobClient metrics;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(), registryConfig,
                PREFIX)) {
            writer.rule(rule("burst", 1, RuleType.VELOCITY, t0).setMinCount(5).setWindowSeconds(60L).build());
            writer.rule(rule("travel", 1, RuleType.IMPOSSIBLE_TRAVEL, t0).setMaxSpeedKmh(900.0).build());
            writer.rule(rule("spike", 1, RuleType.FEATURE_THRESHOLD, t0).setFeature("card.sum_usd_1h")
                    .setThreshold(3000.0).build());
            writer.rule(rule("newdev", 1, RuleType.NEW_DEVICE_HIGH_AMOUNT, t0).setMinAmountUsd(2000.0).build());
            writer.rule(rule("broken", 1, RuleType.VELOCITY, t0).setWindowSeconds(60L).build()); // no min_count
            job = start(kafka, registry, redis);
            metrics = startLiveMetrics(kafka, registry, postgres);
            // In chunks, so that records keep flowing while failures are injected and recovered from.
            writeSlowly(writer, firstHalf);
            // The first half's alerts visible to read_committed: the job has scored it.
            awaitAlerts(kafka, registryConfig, 4);

            // Published while the job runs: from tMid on, three in a minute are enough.
            writer.rule(rule("burst", 2, RuleType.VELOCITY, tMid).setMinCount(3).setWindowSeconds(60L).build());
            writer.flush();
            Thread.sleep(2_000);
            writeSlowly(writer, secondHalf);
            // Held payments go out once the watermark passes them: a later payment moves it on, once
            // the other partitions, quiet by then, have gone idle and stopped holding it back.
            Thread.sleep(IDLENESS.multipliedBy(2).toMillis());
            writer.payment(payment("tail", "acct-tail", "card-tail", secondHalf.get(secondHalf.size() - 1)
                    .getEventTime().toEpochMilli() + 10 * MINUTE, 10, City.BERLIN, "dev-tail"));
            writer.flush();
            awaitAlerts(kafka, registryConfig, expectedAlerts.size());
            // Every card's last payment scored and its features flushed (the other partitions must
            // first go idle for the tail's watermark to pass them).
            awaitFeaturesOfLastPayments(redis);
            MinuteRows.await(dashboards, expectedMinuteRows());
            // A little longer: a repeated alert would need another checkpoint to become visible.
            Thread.sleep(3_000);
        }
        job.cancel().get();
        metrics.cancel().get();

        assertThat(FailureInjector.injected(FAILURES)).isEqualTo(2);
        assertThat(FailureInjector.injected(METRICS_FAILURES)).isEqualTo(2);
        // live-metrics read the alerts fraud-detection committed: each counted once, at its payment's minute.
        assertThat(MinuteRows.read(dashboards)).isEqualTo(expectedMinuteRows());
        List<FraudAlert> alerts = decode(TopicReader.readCommitted(kafka.bootstrapServers(), PREFIX + "fraud.alerts.v1"),
                FraudAlert.class, registryConfig);
        assertThat(alerts).extracting(FraudAlert::getAlertId).doesNotHaveDuplicates();
        Set<UUID> alertIds = alerts.stream().map(FraudAlert::getAlertId).collect(Collectors.toCollection(TreeSet::new));
        assertThat(alertIds).isEqualTo(expectedAlerts);
        assertThat(alerts).extracting(a -> a.getRuleId() + " v" + a.getRuleVersion() + " " + a.getTransactionId())
                .containsExactlyInAnyOrder("burst v1 tx-burst-5", "burst v2 tx-burst-late-3", "travel v1 tx-new-york",
                        "spike v1 tx-spike", "newdev v1 tx-spike");

        List<DeadLetter> deadLetters = decode(TopicReader.readCommitted(kafka.bootstrapServers(),
                PREFIX + "payments.transactions.dlq.v1"), DeadLetter.class, registryConfig);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo("CONTRACT_INVALID_RULE");
            assertThat(d.getSourceTopic()).isEqualTo(PREFIX + "fraud.rules.v1");
            assertThat(d.getOriginalValue().remaining()).isPositive();
        });

        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            Map<String, List<EnrichedTransaction>> byCard = payments.stream()
                    .collect(Collectors.groupingBy(EnrichedTransaction::getCardToken));
            for (var card : byCard.entrySet()) {
                Map<String, Double> expected = ExpectedFeatures.card(card.getValue());
                Map<String, String> actual = jedis.hgetAll(REDIS_PREFIX + "card:" + card.getKey());
                assertThat(actual).as(card.getKey()).containsKey("event_time");
                expected.forEach((name, value) -> assertThat(Double.parseDouble(actual.get(name)))
                        .as(card.getKey() + " " + name).isCloseTo(value, within(1e-6)));
            }
            assertThat(jedis.exists(REDIS_PREFIX + "card:card-tail")).as("the tail payment is never scored").isFalse();
        }
    }

    /** The traffic of one half: clean cards, and the labelled patterns with the alerts they must raise. */
    private List<EnrichedTransaction> traffic(boolean first) {
        Random random = new Random(first ? 1 : 2);
        long from = first ? t0 : tMid + 5 * MINUTE;
        long to = first ? tMid - 10 * MINUTE : tMid + 70 * MINUTE;
        List<EnrichedTransaction> half = new ArrayList<>();
        // Clean: 30 cards paying 10 to 80 dollars every 2 to 6 minutes at home on their own device.
        for (int c = 0; c < 30; c++) {
            City home = City.values()[c % City.values().length];
            for (long t = from + random.nextInt(120_000); t < to; t += 120_000 + random.nextInt(240_000)) {
                half.add(payment("clean-" + c + "-" + t, "acct-" + c, "card-" + c, t, 10 + random.nextInt(71), home,
                        "dev-" + c));
            }
        }
        if (first) {
            // Card testing: five in 40 s; the fifth fires burst v1 (at least 5 in 60 s).
            for (int i = 1; i <= 5; i++) {
                half.add(payment("burst-" + i, "acct-burst", "card-burst", t0 + 20 * MINUTE + i * 8_000, 1,
                        City.MADRID, "dev-burst"));
            }
            expect("burst", 1, "tx-burst-5");
            // Three in a minute before the change: not enough for v1, and v2 does not apply yet.
            for (int i = 1; i <= 3; i++) {
                half.add(payment("burst-early-" + i, "acct-early", "card-early", t0 + 30 * MINUTE + i * 10_000, 1,
                        City.ROME, "dev-early"));
            }
            // Paris, then New York half an hour later.
            half.add(payment("paris", "acct-travel", "card-travel", t0 + 10 * MINUTE, 60, City.PARIS, "dev-travel"));
            half.add(payment("new-york", "acct-travel", "card-travel", t0 + 40 * MINUTE, 60, City.NEW_YORK,
                    "dev-travel"));
            expect("travel", 1, "tx-new-york");
            // An amount spike on a new device after usual payments.
            for (int i = 0; i < 5; i++) {
                half.add(payment("usual-" + i, "acct-spike", "card-spike", t0 + i * 5 * MINUTE, 50, City.AMSTERDAM,
                        "dev-spike"));
            }
            half.add(payment("spike", "acct-spike", "card-spike", t0 + 45 * MINUTE, 5000, City.AMSTERDAM,
                    "dev-other"));
            expect("spike", 1, "tx-spike");
            expect("newdev", 1, "tx-spike");
        } else {
            // Three in a minute after the change: burst v2 fires on the third.
            for (int i = 1; i <= 3; i++) {
                half.add(payment("burst-late-" + i, "acct-late", "card-late", tMid + 20 * MINUTE + i * 10_000, 1,
                        City.BERLIN, "dev-late"));
            }
            expect("burst", 2, "tx-burst-late-3");
        }
        half.sort(Comparator.comparing(EnrichedTransaction::getEventTime));
        payments.addAll(half);
        return half;
    }

    private static void writeSlowly(DownstreamTopicsWriter writer, List<EnrichedTransaction> half)
            throws InterruptedException {
        for (int i = 0; i < half.size(); i++) {
            writer.payment(half.get(i));
            if (i % 100 == 99) {
                writer.flush();
                Thread.sleep(700);
            }
        }
        writer.flush();
    }

    private void expect(String rule, int version, String transactionId) {
        expectedAlerts.add(AlertFactory.alertId(rule, version, transactionId));
        expectedAlertTransactions.add(transactionId);
    }

    private JobClient start(KafkaBroker kafka, SchemaRegistryServer registry, RedisServer redis) throws Exception {
        Map<String, String> options = LocalServersJobOptions.forJob("fraud", PREFIX, kafka, registry, IDLENESS);
        options.put("tributary.redis.host", redis.host());
        options.put("tributary.redis.port", String.valueOf(redis.port()));
        options.put("tributary.redis.key-prefix", REDIS_PREFIX);
        for (String topic : List.of("enriched", "fraud-rules", "fraud-alerts", "dead-letters", "erasure-requests")) {
            options.put("tributary.topics." + topic, PREFIX + switch (topic) {
                case "enriched" -> TopicContract.ENRICHED_TRANSACTIONS.topic();
                case "fraud-rules" -> TopicContract.FRAUD_RULES.topic();
                case "fraud-alerts" -> TopicContract.FRAUD_ALERTS.topic();
                case "erasure-requests" -> TopicContract.ERASURE_REQUESTS.topic();
                default -> TopicContract.DEAD_LETTERS.topic();
            });
        }
        var configuration = JobConfiguration.resolve(null, options, FraudOptions.all()).configuration();
        FraudSettings settings = FraudSettings.from(configuration, Map.of());
        Path work = Files.createTempDirectory("fraud-failover");
        StreamExecutionEnvironment env = JobEnvironments.create(FraudDetectionJob.NAME, configuration, work);
        FraudDetectionJob.build(env, settings, FraudSources.kafka(settings), FraudSinks.kafka(settings),
                scored -> FailureInjector.addTo(scored, ScoredPayment.class, FAILURES, 2));
        return env.executeAsync(FraudDetectionJob.NAME);
    }

    /**
     * live-metrics beside fraud-detection, on its enriched input and its alerts, with two failures of
     * its own. Its allowed lateness spans the test's event time: the payments are written minutes of
     * event time per second, and an alert comes seconds after its payment.
     */
    private JobClient startLiveMetrics(KafkaBroker kafka, SchemaRegistryServer registry, PostgresServer postgres)
            throws Exception {
        Map<String, String> options = LocalServersJobOptions.forJob("metrics", PREFIX, kafka, registry, IDLENESS);
        options.put("tributary.metrics.allowed-lateness", "4 h");
        options.put("tributary.postgres.url", postgres.jdbcUrl("fraud_pipeline_it"));
        options.put("tributary.postgres.user", postgres.user());
        options.put("tributary.topics.enriched", PREFIX + TopicContract.ENRICHED_TRANSACTIONS.topic());
        options.put("tributary.topics.fraud-alerts", PREFIX + TopicContract.FRAUD_ALERTS.topic());
        options.put("tributary.topics.dead-letters", PREFIX + "metrics-" + TopicContract.DEAD_LETTERS.topic());
        var configuration = JobConfiguration.resolve(null, options, MetricsOptions.all()).configuration();
        MetricsSettings settings = MetricsSettings.from(configuration, Map.of());
        MetricsSchema.migrate(settings.postgres(), Map.of());
        StreamExecutionEnvironment env = JobEnvironments.create(LiveMetricsJob.NAME, configuration,
                Files.createTempDirectory("fraud-pipeline-metrics"));
        LiveMetricsJob.build(env, settings, MetricsSources.kafka(settings), MetricsSinks.of(settings),
                contributions -> FailureInjector.addTo(contributions, Contribution.class, METRICS_FAILURES, 2));
        return env.executeAsync(LiveMetricsJob.NAME);
    }

    /** The minute rows of every payment but the tail (whose minute never closes), with the expected alerts. */
    private List<String> expectedMinuteRows() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> usd = new TreeMap<>();
        Map<String, String> rowOfTransaction = new HashMap<>();
        for (EnrichedTransaction p : payments) {
            String key = Math.floorDiv(p.getEventTime().toEpochMilli(), MINUTE) * MINUTE + " unknown " + p.getCountry();
            counts.computeIfAbsent(key, k -> new long[2])[0]++;
            usd.merge(key, p.getAmountUsd(), BigDecimal::add);
            rowOfTransaction.put(p.getTransactionId(), key);
        }
        expectedAlertTransactions.forEach(tx -> counts.get(rowOfTransaction.get(tx))[1]++);
        List<String> rows = new ArrayList<>();
        counts.forEach((key, c) -> rows.add(key + " " + c[0] + " " + usd.get(key).setScale(4).toPlainString() + " 0 "
                + c[1]));
        return rows;
    }

    private void awaitFeaturesOfLastPayments(RedisServer redis) throws InterruptedException {
        Map<String, Long> last = payments.stream().collect(Collectors.toMap(EnrichedTransaction::getCardToken,
                p -> p.getEventTime().toEpochMilli(), Math::max));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            while (last.entrySet().stream().anyMatch(card -> !String.valueOf(card.getValue())
                    .equals(jedis.hget(REDIS_PREFIX + "card:" + card.getKey(), "event_time")))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the features of every card's last payment did not reach Redis in 2 min");
                }
                Thread.sleep(500);
            }
        }
    }

    private static void awaitAlerts(KafkaBroker kafka, SchemaRegistryConfig registry, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (TopicReader.readCommitted(kafka.bootstrapServers(), PREFIX + "fraud.alerts.v1").size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " alerts within 3 minutes");
            }
            Thread.sleep(500);
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records, Class<T> type,
            SchemaRegistryConfig registry) throws Exception {
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(type).registry(registry).build();
        List<T> values = new ArrayList<>();
        for (var record : records) {
            values.add(deserializer.deserialize(record.value()));
        }
        return values;
    }

    private static FraudRule.Builder rule(String id, int version, RuleType type, long effectiveFrom) {
        return FraudTestData.rule(id, version, type, effectiveFrom);
    }

    enum City {
        BERLIN("DE", 52.52, 13.405), PARIS("FR", 48.8566, 2.3522), MADRID("ES", 40.4168, -3.7038),
        ROME("IT", 41.9028, 12.4964), AMSTERDAM("NL", 52.3676, 4.9041), NEW_YORK("US", 40.7128, -74.0060);

        final String country;
        final double latitude;
        final double longitude;

        City(String country, double latitude, double longitude) {
            this.country = country;
            this.latitude = latitude;
            this.longitude = longitude;
        }
    }

    private static EnrichedTransaction payment(String id, String account, String card, long time, double usd, City city,
            String device) {
        EnrichedTransaction e = FraudTestData.payment(id, time, usd, city.country, city.latitude, city.longitude, device);
        e.setAccountId(account);
        e.setCardToken(card);
        return e;
    }
}
