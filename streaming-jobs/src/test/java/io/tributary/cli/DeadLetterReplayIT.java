package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.Transaction;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.jobs.enrichment.EnrichmentItSetup;
import io.tributary.jobs.enrichment.EnrichmentSettings;
import io.tributary.jobs.enrichment.EnrichmentSinks;
import io.tributary.jobs.enrichment.EnrichmentSources;
import io.tributary.jobs.enrichment.TransactionsEnrichmentJob;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.testing.PiiCanary;
import io.tributary.testing.TopicReader;
import io.tributary.testing.UpgradedPayments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fixed schema problem, end to end on a real broker, a real registry and the running enrichment job:
 * a producer upgrades to a new version of the payment schema (one optional field more) and writes with
 * its id before that version reaches the registry the job reads. The job, configured with
 * {@code tributary.registry.max-id-lag: 0} (so that an id above the registry's newest is not taken for a
 * lagging replica and retried, see RegistryFailoverIT), dead-letters those records as
 * DECODE_UNKNOWN_SCHEMA_ID. Once the schema is there, {@code tributary
 * dlq replay} writes them back; a read_committed reader must then find every one of them enriched exactly
 * once, and a second replay must write nothing. Valid payments keep flowing throughout, as in a live
 * stream: they move the watermark on, which releases events the job holds for a late account or rate.
 */
@ExtendWith(LocalServersExtension.class)
class DeadLetterReplayIT {
    private static final String PREFIX = "dlqreplay.";
    private static final int VALID = 120;
    private static final int UPGRADED = 30;
    private static final String TRACE_HEADER = "traceparent";
    /**
     * The job's registry client remembers an unknown id this long ({@code tributary.registry.unknown-id-cache-time},
     * 60 s by default): the replay must come later, or the job rejects the records again.
     */
    private static final Duration UNKNOWN_ID_CACHE = Duration.ofSeconds(5);

    @Test
    void deadLettersOfAFixedSchemaProblemAreEnrichedOnceAfterReplayAndASecondReplayWritesNothing(KafkaBroker kafka,
            SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup(PREFIX, kafka, registry);
        // The replay comes minutes after the rejection while live traffic moves event time on: the allowed
        // lateness must cover that, or the replayed events go to the late topic (see the DLQ runbook).
        setup.options.put("tributary.enrichment.allowed-lateness", "30m");
        // An operator who prefers dead letters and a replay to a stalled partition while a schema is missing.
        setup.options.put("tributary.registry.max-id-lag", "0");
        setup.options.put("tributary.registry.unknown-id-cache-time", UNKNOWN_ID_CACHE.toSeconds() + "s");
        SchemaRegistryClient client = SchemaRegistryClient.create(setup.pipeline.registryConfig());
        Schema upgraded = UpgradedPayments.SCHEMA;
        String subject = setup.topic("transactions") + "-value";
        // The registry numbers new schemas one by one: the next one registered gets the id after this probe's.
        int upgradedId = client.register(PREFIX + "probe-value", SchemaBuilder.record("Probe").namespace("dlqreplay")
                .fields().requiredString("p" + System.nanoTime()).endRecord()) + 1;

        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options().seed(15)
                .accounts(50).merchants(20).start(start).duplicateRate(0).malformedRate(0)
                .outOfOrder(0, Duration.ZERO).late(0, Duration.ZERO));
        List<Transaction> valid = new ArrayList<>();
        Map<UUID, Transaction> upgradedRecords = new HashMap<>();
        try (TrafficWriter writer = new TrafficWriter(kafka.bootstrapServers(), setup.pipeline.registryConfig(), PREFIX);
                KafkaProducer<byte[], byte[]> upgradedProducer = producer(kafka)) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofHours(1))));
            for (int i = 0; i < VALID + UPGRADED; i++) {
                GeneratedTransaction g = generator.next();
                Transaction t = g.transaction();
                if (i % 5 == 4) {
                    upgradedRecords.put(t.getEventId(), t);
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(TRACE_HEADER, ("00-" + t.getEventId()).getBytes(StandardCharsets.UTF_8));
                    upgradedProducer.send(new ProducerRecord<>(setup.topic("transactions"), null,
                            t.getAccountId().getBytes(StandardCharsets.UTF_8), UpgradedPayments.framed(upgradedId, t, "gold"), headers));
                } else {
                    valid.add(t);
                    writer.write(g);
                }
            }
            writer.flush();
            upgradedProducer.flush();
        }

        Path work = Files.createTempDirectory("dlq-replay");
        JobClient job = run(setup, work);
        Set<UUID> validIds = valid.stream().map(Transaction::getEventId).collect(Collectors.toSet());
        try (LiveTraffic live = new LiveTraffic(generator, kafka, setup)) {
            List<DeadLetter> rejected = await(kafka, setup.topic("dead-letters"), DeadLetter.class, setup,
                    d -> d.size() >= UPGRADED);
            Instant rejectedBy = Instant.now();
            await(kafka, setup.topic("enriched"), EnrichedTransaction.class, setup,
                    e -> e.stream().map(EnrichedTransaction::getEventId).collect(Collectors.toSet()).containsAll(validIds));
            assertThat(rejected).extracting(DeadLetter::getReason).containsOnly("DECODE_UNKNOWN_SCHEMA_ID");
            assertThat(rejected).allSatisfy(d -> assertThat(d.getOriginalHeaders()).extracting(h -> h.getKey())
                    .containsExactly(TRACE_HEADER));

            // The fix: the upgraded schema reaches the registry the job reads.
            assertThat(client.register(subject, upgraded)).as("id of the upgraded schema, as its producer wrote it")
                    .isEqualTo(upgradedId);

            String[] connection = {"--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.url(),
                "--topic", setup.topic("dead-letters")};
            CliRun list = CliRun.of(args(connection, "dlq", "list", "--per", "1m"));
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.out()).contains(UPGRADED + " dead letter(s)").containsPattern("DECODE_UNKNOWN_SCHEMA_ID +"
                    + UPGRADED);

            Thread.sleep(Math.max(0, Duration.between(Instant.now(), rejectedBy.plus(UNKNOWN_ID_CACHE)).toMillis()));
            ConsumerRecord<byte[], byte[]> first = TopicReader.readCommitted(kafka.bootstrapServers(),
                    setup.topic("dead-letters")).get(0);
            String[] at = {"--partition", String.valueOf(first.partition()), "--offset", String.valueOf(first.offset())};
            CliRun shown = CliRun.of(args(connection, args(at, "dlq", "show")));
            CliRun revealed = CliRun.of(args(connection, args(at, "dlq", "show", "--reveal")));
            PiiCanary canary = PiiCanary.of(new ArrayList<>(upgradedRecords.values()));
            assertThat(shown.exitCode()).as(shown.err()).isZero();
            assertThat(shown.out()).contains("card_number: <masked", "loyalty_tier: gold")
                    .contains("headers        traceparent=<");
            assertThat(canary.findInText(shown.out() + shown.err(), "dlq show")).isEmpty();
            assertThat(canary.findInText(list.out() + list.err(), "dlq list")).isEmpty();
            assertThat(canary.findInText(revealed.out(), "dlq show --reveal")).isNotEmpty();
            assertThat(revealed.errLines()).singleElement().asString().startsWith("tributary: AUDIT user="
                    + System.getProperty("user.name") + " revealed dead letter " + setup.topic("dead-letters") + "/" + first.partition() + "/" + first.offset()
                    + " at");

            CliRun replay = CliRun.of(args(connection, "dlq", "replay", "--reason", "DECODE_UNKNOWN_SCHEMA_ID",
                    "--source-topic", setup.topic("transactions"), "--batch-size", "7"));
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("Replayed " + UPGRADED + " dead letter(s)", "0 already replayed");

            List<EnrichedTransaction> enriched = await(kafka, setup.topic("enriched"), EnrichedTransaction.class, setup,
                    e -> e.stream().filter(x -> upgradedRecords.containsKey(x.getEventId())).count() >= UPGRADED);
            CliRun again = CliRun.of(args(connection, "dlq", "replay", "--reason", "DECODE_UNKNOWN_SCHEMA_ID",
                    "--source-topic", setup.topic("transactions")));
            assertThat(again.out()).contains("Replayed 0 dead letter(s)", UPGRADED + " already replayed");
            // Time for a replayed record written twice to be enriched twice: a few checkpoints.
            Thread.sleep(5_000);
            List<EnrichedTransaction> after = await(kafka, setup.topic("enriched"), EnrichedTransaction.class, setup,
                    e -> true);

            assertThat(live.written()).as("live payments written meanwhile").isPositive();
            assertThat(after).extracting(EnrichedTransaction::getEventId).doesNotHaveDuplicates()
                    .containsAll(upgradedRecords.keySet()).containsAll(validIds);
            assertThat(enriched).filteredOn(e -> upgradedRecords.containsKey(e.getEventId())).allSatisfy(e -> {
                Transaction source = upgradedRecords.get(e.getEventId());
                assertThat(e.getAmount()).isEqualTo(source.getAmount());
                assertThat(e.getAccountKnown()).isTrue();
            });
            assertThat(TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("dead-letters")))
                    .as("replayed records rejected again").hasSize(UPGRADED);
            List<ConsumerRecord<byte[], byte[]>> replayedInput = TopicReader.readCommitted(kafka.bootstrapServers(),
                    setup.topic("transactions")).stream().filter(hasHeader(DeadLetterReplay.MARKER_HEADER)).toList();
            assertThat(replayedInput).hasSize(UPGRADED).allSatisfy(r -> {
                assertThat(r.headers().lastHeader(TRACE_HEADER)).as("the original header").isNotNull();
                UUID id = UUID.fromString(new String(r.headers().lastHeader(TRACE_HEADER).value(),
                        StandardCharsets.UTF_8).substring(3));
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(upgradedRecords.get(id).getAccountId());
                assertThat(r.value()).isEqualTo(UpgradedPayments.framed(upgradedId, upgradedRecords.get(id), "gold"));
            });
        } finally {
            job.cancel().get();
        }
    }

    /** Valid payments written in the background at about the pace of their event time, as a live stream. */
    private static final class LiveTraffic implements AutoCloseable {
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Thread thread;

        LiveTraffic(PaymentEventGenerator generator, KafkaBroker kafka, EnrichmentItSetup setup) {
            thread = new Thread(() -> {
                try (TrafficWriter writer = new TrafficWriter(kafka.bootstrapServers(), setup.pipeline.registryConfig(),
                        PREFIX)) {
                    while (running.get()) {
                        for (int i = 0; i < 10; i++) {
                            writer.write(generator.next());
                        }
                        writer.flush();
                        written.addAndGet(10);
                        Thread.sleep(200);
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "live-payments");
            thread.start();
        }

        int written() {
            if (failure.get() != null) {
                throw new IllegalStateException("Live traffic failed", failure.get());
            }
            return written.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    private static Predicate<ConsumerRecord<byte[], byte[]>> hasHeader(String key) {
        return r -> Arrays.stream(r.headers().toArray()).map(Header::key).anyMatch(key::equals);
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static JobClient run(EnrichmentItSetup setup, Path work) throws Exception {
        EnrichmentSettings settings = setup.settings();
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, setup.configuration(),
                work);
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings), stream -> stream);
        return env.executeAsync(TransactionsEnrichmentJob.NAME);
    }

    /** The topic's committed records decoded, once {@code done} says they are complete; fails after 90 s. */
    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> await(KafkaBroker kafka, String topic,
            Class<T> type, EnrichmentItSetup setup, Predicate<List<T>> done) throws Exception {
        var values = ConfluentAvroDeserializationSchema.forSpecific(type).registry(setup.pipeline.registryConfig()).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<T> decoded = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            decoded = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readCommitted(kafka.bootstrapServers(), topic)) {
                decoded.add(values.deserialize(r.value()));
            }
            if (done.test(decoded)) {
                return decoded;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The " + decoded.size() + " records in " + topic + " are not what was awaited after 90 s");
    }

    private static String[] args(String[] connection, String... command) {
        String[] all = Arrays.copyOf(command, command.length + connection.length);
        System.arraycopy(connection, 0, all, command.length, connection.length);
        return all;
    }
}
