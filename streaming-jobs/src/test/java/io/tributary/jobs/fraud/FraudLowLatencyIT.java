package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FraudAlert;
import io.tributary.events.RuleType;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.RedisServer;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.FailureInjector;
import io.tributary.testing.JobStops;
import io.tributary.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * fraud-detection with {@code tributary.fraud.alert-delivery: low-latency} on real Kafka, registry
 * and Redis: what that mode promises. An alert is visible to a read_committed consumer while the
 * enriched payments that raised it are still in an open upstream transaction and before this job
 * completed a checkpoint; and through two failures, each injected in an operator after a completed
 * checkpoint (an exception, not a killed process: the guarantee under test is the replay's, which
 * both cause alike), every expected alert arrives at least once and nothing else arrives, so that a
 * consumer deduplicating by {@code alert_id} sees exactly the expected alerts.
 *
 * <p>No test waits for the job to have read its rules before writing payments: a fresh start
 * reads the rules topic before it scores a payment ({@link RulesAtStart}), so that every payment,
 * the first included, meets its rules.
 */
@ExtendWith(LocalServersExtension.class)
class FraudLowLatencyIT {
    private static final long MINUTE = 60_000;

    private final Instant start = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
    private final long t0 = start.toEpochMilli();

    @Test
    void anAlertIsVisibleBeforeItsPaymentsAreCommittedUpstreamAndBeforeAnyCheckpoint(KafkaBroker kafka,
            SchemaRegistryServer registry, RedisServer redis, @TempDir Path work) throws Exception {
        String prefix = "fraudfast1.";
        SchemaRegistryConfig registryConfig = LocalPipeline.prepare(kafka, registry).registryConfig();
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        JobClient job = null;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(), registryConfig, prefix);
                KafkaProducer<byte[], byte[]> upstream = transactionalProducer(kafka, prefix)) {
            writeRules(writer);
            // Checkpoints 5 minutes apart (the longest the dead letters' transactions allow): none completes
            // during the test, so no alert can wait for one.
            job = start(kafka, registry, redis, prefix, work, Duration.ofMinutes(5), UnaryOperator.identity());

            upstream.initTransactions();
            upstream.beginTransaction();
            for (int i = 1; i <= 5; i++) {
                EnrichedTransaction p = payment("open-" + i, "acct-open", "card-open", t0 + 10 * MINUTE + i * 5_000);
                upstream.send(new ProducerRecord<>(prefix + TopicContract.ENRICHED_TRANSACTIONS.topic(),
                        p.getAccountId().getBytes(StandardCharsets.UTF_8), writer.framed(p)));
            }
            upstream.flush();

            UUID expected = AlertFactory.alertId("burst", 1, "tx-open-5");
            List<FraudAlert> alerts = awaitAlerts(kafka, registryConfig, prefix, Set.of(expected), Duration.ofSeconds(60));
            assertThat(alerts).extracting(FraudAlert::getAlertId).contains(expected);
            upstream.commitTransaction();
        } finally {
            if (job != null) {
                JobStops.cancelUnlessEnded(job);
            }
        }
    }

    /**
     * Payments already in their topic when the job starts, and the rule behind 20,000 changes of
     * another rule in the rules topic: the broadcast input brings the rule well after the first
     * payments arrive, and each is scored on arrival. Every burst still raises its alert, as the job
     * scores with the rules it read at start.
     */
    @Test
    void aFreshStartScoresEvenItsFirstPaymentsWithTheRulesOfTheTopic(KafkaBroker kafka, SchemaRegistryServer registry,
            RedisServer redis, @TempDir Path work) throws Exception {
        String prefix = "fraudfast3.";
        SchemaRegistryConfig registryConfig = LocalPipeline.prepare(kafka, registry).registryConfig();
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        Set<UUID> expected = new TreeSet<>();
        JobClient job = null;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(), registryConfig,
                prefix)) {
            for (int version = 1; version <= 20_000; version++) {
                writer.rule(FraudTestData.rule("filler", version, RuleType.FEATURE_THRESHOLD, 0)
                        .setFeature("card.count_24h").setThreshold(0.0).setEnabled(false).build());
            }
            writeRules(writer);
            for (int c = 0; c < 20; c++) {
                for (int i = 1; i <= 5; i++) {
                    writer.payment(payment("first-" + c + "-" + i, "acct-f" + c, "card-f" + c, t0 + c * MINUTE + i * 8_000));
                }
                expected.add(AlertFactory.alertId("burst", 1, "tx-first-" + c + "-5"));
            }
            writer.flush();

            job = start(kafka, registry, redis, prefix, work, Duration.ofSeconds(1), UnaryOperator.identity());

            List<FraudAlert> alerts = awaitAlerts(kafka, registryConfig, prefix, expected, Duration.ofSeconds(90));
            assertThat(alerts).extracting(FraudAlert::getAlertId).containsAll(expected);
        } finally {
            if (job != null) {
                JobStops.cancelUnlessEnded(job);
            }
        }
    }

    @Test
    void throughTwoFailuresEveryAlertArrivesAtLeastOnceUnderItsOwnIdAndNothingElse(KafkaBroker kafka,
            SchemaRegistryServer registry, RedisServer redis, @TempDir Path work) throws Exception {
        String prefix = "fraudfast2.";
        String failures = "fraud-low-latency";
        SchemaRegistryConfig registryConfig = LocalPipeline.prepare(kafka, registry).registryConfig();
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        Set<UUID> expected = new TreeSet<>();
        List<EnrichedTransaction> traffic = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            // A card-testing burst: five payments in 40 s; the fifth fires the rule.
            long burst = t0 + c * 3 * MINUTE;
            for (int i = 1; i <= 5; i++) {
                traffic.add(payment("burst-" + c + "-" + i, "acct-b" + c, "card-b" + c, burst + i * 8_000));
            }
            expected.add(AlertFactory.alertId("burst", 1, "tx-burst-" + c + "-5"));
            // A quiet card: one payment every 4 minutes for two hours, never four in a minute.
            for (long t = t0 + c * 1_000; t < t0 + 120 * MINUTE; t += 4 * MINUTE) {
                traffic.add(payment("quiet-" + c + "-" + t, "acct-q" + c, "card-q" + c, t));
            }
        }
        traffic.sort(Comparator.comparing(EnrichedTransaction::getEventTime));

        JobClient job = null;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(), registryConfig,
                prefix)) {
            writeRules(writer);
            job = start(kafka, registry, redis, prefix, work, Duration.ofSeconds(1),
                    scored -> FailureInjector.addTo(scored, ScoredPayment.class, failures, 2));
            // In chunks, so that payments keep coming while the failures are injected and recovered from.
            for (int i = 0; i < traffic.size(); i++) {
                writer.payment(traffic.get(i));
                if (i % 50 == 49) {
                    writer.flush();
                    Thread.sleep(500);
                }
            }
            writer.flush();
            List<FraudAlert> alerts = awaitAlerts(kafka, registryConfig, prefix, expected, Duration.ofMinutes(3));
            assertThat(FailureInjector.injected(failures)).isEqualTo(2);
            // A repeated alert of the last replay would show by now.
            Thread.sleep(3_000);
            alerts = TopicReader.decode(TopicReader.readCommitted(kafka.bootstrapServers(),
                    prefix + TopicContract.FRAUD_ALERTS.topic()), FraudAlert.class, registryConfig);

            Set<UUID> delivered = alerts.stream().map(FraudAlert::getAlertId)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(delivered).isEqualTo(expected);
            // A repeat is the same alert: same rule, version and payment.
            Map<UUID, Set<String>> contents = alerts.stream().collect(Collectors.groupingBy(FraudAlert::getAlertId,
                    Collectors.mapping(a -> a.getRuleId() + " v" + a.getRuleVersion() + " " + a.getTransactionId(),
                            Collectors.toSet())));
            assertThat(contents.values()).allSatisfy(c -> assertThat(c).hasSize(1));
            long bursts = alerts.stream().filter(a -> a.getRuleId().equals("burst")).count();
            System.out.printf("low-latency alerts: %d expected, %d delivered (%d repeats after 2 failures)%n",
                    expected.size(), bursts, bursts - expected.size());
        } finally {
            if (job != null) {
                JobStops.cancelUnlessEnded(job);
            }
        }
    }

    /** The velocity rule under test: five payments of a card within a minute. */
    private void writeRules(DownstreamTopicsWriter writer) {
        writer.rule(FraudTestData.rule("burst", 1, RuleType.VELOCITY, t0).setMinCount(5).setWindowSeconds(60L).build());
        writer.flush();
    }

    private static List<FraudAlert> awaitAlerts(KafkaBroker kafka, SchemaRegistryConfig registry, String prefix,
            Set<UUID> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<FraudAlert> alerts = TopicReader.decode(TopicReader.readCommitted(kafka.bootstrapServers(),
                    prefix + TopicContract.FRAUD_ALERTS.topic()), FraudAlert.class, registry);
            Set<UUID> ids = alerts.stream().map(FraudAlert::getAlertId).collect(Collectors.toSet());
            if (ids.containsAll(expected)) {
                return alerts;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError((expected.size() - expected.stream().filter(ids::contains).count()) + " of "
                        + expected.size() + " expected alerts missing after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static JobClient start(KafkaBroker kafka, SchemaRegistryServer registry, RedisServer redis, String prefix,
            Path work, Duration checkpointInterval, UnaryOperator<DataStream<ScoredPayment>> betweenStages)
            throws Exception {
        Map<String, String> options = FraudItJob.options(kafka, registry, redis, prefix, prefix + "features:");
        options.remove("restart-strategy.type"); // the failures are recovered from
        options.put("tributary.fraud.alert-delivery", "low-latency");
        options.put("execution.checkpointing.interval", checkpointInterval.toMillis() + " ms");
        return FraudItJob.start(options, work, betweenStages);
    }

    /** A producer that writes enriched payments in a transaction, as the enrichment job does. */
    private static KafkaProducer<byte[], byte[]> transactionalProducer(KafkaBroker kafka, String prefix) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "upstream");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static EnrichedTransaction payment(String id, String account, String card, long time) {
        EnrichedTransaction p = FraudTestData.payment(id, time, 20, "DE", null, null, "dev-" + card);
        p.setAccountId(account);
        p.setCardToken(card);
        return p;
    }
}
