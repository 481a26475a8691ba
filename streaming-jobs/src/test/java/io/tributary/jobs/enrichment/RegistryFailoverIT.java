package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.ContractRegistration;
import io.tributary.contracts.TopicContract;
import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.Transaction;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.testing.TopicReader;
import io.tributary.testing.UpgradedPayments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry fails over to an empty one while the enrichment job runs (issue 14): after a
 * checkpoint, the real Apicurio process is stopped and a new, empty one started on the same port, as
 * when a registry is restored empty or a replica that never synced takes over. Payments then arrive
 * with a schema id the job has not resolved yet: what every id is to a restarted TaskManager, whose
 * caches are cold (the TaskManagers of this MiniCluster share the test JVM's registry client, so a
 * new id stands in for the restart). The job must not dead-letter them: it retries, fails after
 * {@code tributary.registry.max-retry-time} and restarts from its last checkpoint, again and again,
 * while a read_committed reader finds no dead letter. Once the contracts are registered again (the
 * same schemas in the same order, so the same ids), every payment is enriched exactly once, and a
 * record with a bogus id, which a registry holding the contracts does not know, is a dead letter as
 * before.
 *
 * <p>The registry is this test's own, not the shared one of the test JVM, which other tests' clients
 * cache ids of.
 */
@ExtendWith(LocalServersExtension.class)
class RegistryFailoverIT {
    private static final String PREFIX = "registryfailover.";
    private static final int BEFORE = 60;
    private static final int AFTER = 40;
    private static final int BOGUS_ID = Integer.MAX_VALUE - 7;
    private static final Duration MAX_RETRY_TIME = Duration.ofSeconds(8);

    @Test
    void aRegistryRestoredEmptyDeadLettersNoValidRecordAndEveryRecordIsEnrichedOnceWhenTheContractsAreBack(
            KafkaBroker kafka) throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            EnrichmentItSetup setup = new EnrichmentItSetup(PREFIX, kafka, registry);
            setup.options.put("tributary.registry.max-retry-time", MAX_RETRY_TIME.toSeconds() + "s");
            InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();
            reporter.addToConfiguration(new Configuration()).toMap().forEach(setup.options::put);
            Schema upgraded = UpgradedPayments.SCHEMA;
            int upgradedId = registerContracts(setup, upgraded);

            Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
            PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options().seed(14)
                    .accounts(30).merchants(10).start(start).duplicateRate(0).malformedRate(0)
                    .outOfOrder(0, Duration.ZERO).late(0, Duration.ZERO));
            Set<UUID> before = new HashSet<>();
            try (TrafficWriter writer = setup.trafficWriter()) {
                writer.writeReferenceData(generator.accounts(), generator.merchants(),
                        generator.fxRates(start, start.plus(Duration.ofHours(1))));
                while (before.size() < BEFORE) {
                    GeneratedTransaction g = generator.next();
                    if (g.kind() == TrafficKind.VALID) {
                        writer.write(g);
                        before.add(g.transaction().getEventId());
                    }
                }
                writer.flush();
            }

            JobClient job = run(setup);
            try {
                // read_committed sees them only once a checkpoint has completed.
                try (AutoCloseable ticking = ratesTicking(setup, generator.fxRates(start, start.plus(Duration.ofHours(1))))) {
                    await(kafka, setup, "enriched", EnrichedTransaction.class,
                            e -> ids(e).containsAll(before), "the first payments enriched");
                }

                registry.restartEmpty();
                Set<UUID> after = new HashSet<>();
                try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                    while (after.size() < AFTER) {
                        GeneratedTransaction g = generator.next();
                        if (g.kind() == TrafficKind.VALID) {
                            send(producer, setup, g.transaction(), UpgradedPayments.framed(upgradedId, g.transaction(), "silver"));
                            after.add(g.transaction().getEventId());
                        }
                    }
                    Transaction bogus = generator.next().transaction();
                    send(producer, setup, bogus, UpgradedPayments.framed(BOGUS_ID, bogus, "silver"));
                    producer.flush();
                }

                // The job gives up after max-retry-time and restarts from its checkpoint: at least once. A job
                // that dead-lettered the records instead would never restart.
                awaitRestart(reporter, job.getJobID(), Duration.ofSeconds(90));
                assertThat(TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("dead-letters")))
                        .as("dead letters while the registry was empty").isEmpty();
                assertThat(job.getJobStatus().get().isGloballyTerminalState())
                        .as("the job keeps restarting, it does not fail for good").isFalse();

                assertThat(registerContracts(setup, upgraded)).as("the upgraded schema's id after the restore")
                        .isEqualTo(upgradedId);
                Set<UUID> all = new HashSet<>(before);
                all.addAll(after);
                List<EnrichedTransaction> enriched = await(kafka, setup, "enriched", EnrichedTransaction.class,
                        e -> ids(e).containsAll(all), "every payment enriched once the contracts are back");
                List<DeadLetter> deadLetters = await(kafka, setup, "dead-letters", DeadLetter.class,
                        d -> !d.isEmpty(), "the record with a bogus id dead-lettered");

                assertThat(enriched).extracting(EnrichedTransaction::getEventId).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(all);
                assertThat(deadLetters).singleElement().satisfies(d -> {
                    assertThat(d.getReason()).isEqualTo("DECODE_UNKNOWN_SCHEMA_ID");
                    assertThat(d.getSchemaId()).isEqualTo(BOGUS_ID);
                });
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Waits until the job has restarted at least once (its {@code numRestarts} gauge); fails after {@code timeout}. */
    private static void awaitRestart(InMemoryReporter reporter, JobID job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (restarts(reporter, job) < 1) {
            assertThat(System.nanoTime()).as("the job restarted within %s of the registry's failover", timeout)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static long restarts(InMemoryReporter reporter, JobID job) {
        long restarts = 0;
        for (var group : reporter.getMetricsByGroup().entrySet()) {
            if (job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                Metric metric = group.getValue().get("numRestarts");
                if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                    restarts = Math.max(restarts, n.longValue());
                } else if (metric instanceof Counter counter) {
                    restarts = Math.max(restarts, counter.getCount());
                }
            }
        }
        return restarts;
    }

    /** Every contract, then the payment schema's next version: the same ids on every empty registry. */
    private static int registerContracts(EnrichmentItSetup setup, Schema upgraded) throws IOException {
        SchemaRegistryClient client = SchemaRegistryClient.create(setup.pipeline.registryConfig());
        ContractRegistration.registerAll(client);
        return client.register(TopicContract.TRANSACTIONS.subject(), upgraded);
    }

    private static JobClient run(EnrichmentItSetup setup) throws Exception {
        EnrichmentSettings settings = setup.settings();
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, setup.configuration(),
                Files.createTempDirectory("registry-failover"));
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings));
        return env.executeAsync(TransactionsEnrichmentJob.NAME);
    }

    /**
     * Writes the newest FX rate again every half second until closed. A payment read before the rate
     * valid at its time waits in the enricher until the watermark passes it; with a burst of payments
     * and then silence, only a reference input still ticking moves the watermark on once the payments
     * are idle. Whether the rates or the payments went idle last otherwise decided whether the first
     * payments ever came out.
     */
    private static AutoCloseable ratesTicking(EnrichmentItSetup setup, List<FxRate> rates) {
        FxRate newest = rates.stream().max(Comparator.comparing(FxRate::getValidFrom)).orElseThrow();
        TrafficWriter writer = setup.trafficWriter();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleWithFixedDelay(() -> {
            writer.writeReferenceData(List.of(), List.of(), List.of(newest));
            writer.flush();
        }, 0, 500, TimeUnit.MILLISECONDS);
        return () -> {
            ticker.shutdownNow();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
            writer.close();
        };
    }

    private static Set<UUID> ids(List<EnrichedTransaction> enriched) {
        Set<UUID> ids = new HashSet<>();
        enriched.forEach(e -> ids.add(e.getEventId()));
        return ids;
    }

    /** The topic's committed records, once {@code done} holds for them; fails after 120 s. */
    private static <T extends SpecificRecord> List<T> await(KafkaBroker kafka, EnrichmentItSetup setup, String topic,
            Class<T> type, Predicate<List<T>> done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            List<T> values = TopicReader.decode(TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic(topic)),
                    type, setup.pipeline.registryConfig());
            if (done.test(values)) {
                return values;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 120 s: " + what + " (" + values.size() + " records in " + topic
                        + "; late " + TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("late")).size()
                        + ", dead letters " + TopicReader.readCommitted(kafka.bootstrapServers(),
                                setup.topic("dead-letters")).size() + ")");
            }
            Thread.sleep(500);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, EnrichmentItSetup setup, Transaction t,
            byte[] value) {
        producer.send(new ProducerRecord<>(setup.topic("transactions"),
                t.getAccountId().getBytes(StandardCharsets.UTF_8), value));
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }
}
