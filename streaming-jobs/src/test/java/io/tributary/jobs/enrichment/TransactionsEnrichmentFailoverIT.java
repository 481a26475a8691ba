package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.DeadLetter;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.LateTransaction;
import io.tributary.events.Transaction;
import io.tributary.jobs.common.JobEnvironments;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.testing.FailureInjector;
import io.tributary.testing.PiiCanary;
import io.tributary.testing.SetDifference;
import io.tributary.testing.TopicReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The enrichment job on real Kafka and a real registry, through two failures injected after
 * completed checkpoints: 100,000 generated payment records with duplicates, malformed records,
 * contract violations, out-of-order and late events. A read_committed consumer must then find every
 * unique valid event once in the enriched topic, every late one once in the late topic, every bad
 * record once in the DLQ, the counts adding up to the input, and no personal data in clear.
 */
@ExtendWith(LocalServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsEnrichmentFailoverIT {
    private static final String FAILURES = "enrichment-failover";
    private static final int RECORDS = 100_000;
    private static final Map<TrafficKind, String> DLQ_REASON = Map.of(
            TrafficKind.MALFORMED_NOT_AVRO, "DECODE_WRONG_MAGIC_BYTE",
            TrafficKind.MALFORMED_TRUNCATED, "DECODE_TRUNCATED",
            TrafficKind.MALFORMED_UNKNOWN_SCHEMA_ID, "DECODE_UNKNOWN_SCHEMA_ID",
            TrafficKind.INVALID_NON_POSITIVE_AMOUNT, "CONTRACT_NON_POSITIVE_AMOUNT",
            TrafficKind.INVALID_UNKNOWN_CURRENCY, "CONTRACT_UNKNOWN_CURRENCY");

    private final List<GeneratedTransaction> input = new ArrayList<>();
    private List<FxRate> rates;
    private List<ConsumerRecord<byte[], byte[]>> enrichedRecords;
    private List<ConsumerRecord<byte[], byte[]>> lateRecords;
    private List<ConsumerRecord<byte[], byte[]>> deadLetterRecords;
    private List<EnrichedTransaction> enriched;
    private List<LateTransaction> late;
    private List<DeadLetter> deadLetters;

    @BeforeAll
    void runTheJobThroughTwoFailures(KafkaBroker kafka, SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup("failover.", kafka, registry);
        setup.options.put("tributary.kafka.stop-at-latest", "true");
        // All input is written before the job starts, so it reads a backlog. Small fetches keep the
        // partitions' event times close, as they are in a live stream; with large ones a partition
        // runs minutes ahead of another, the watermark (their minimum) lags, and an event late by
        // less than that lag is not judged late, which is right but would blur what this test checks.
        setup.options.put("tributary.kafka.client-properties", "max.partition.fetch.bytes:32768");
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(2026).accounts(500).merchants(100).start(start)
                .duplicateRate(0.06).malformedRate(0.02)
                .outOfOrder(0.05, Duration.ofSeconds(3)).late(0.005, Duration.ofMinutes(30)).lateAfter(10_000));
        rates = generator.fxRates(start, start.plus(Duration.ofHours(2)));
        try (TrafficWriter writer = setup.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(), rates);
            for (int i = 0; i < RECORDS; i++) {
                GeneratedTransaction g = generator.next();
                input.add(g);
                writer.write(g);
            }
            writer.flush();
        }

        EnrichmentSettings settings = setup.settings();
        Path work = Files.createTempDirectory("enrichment-failover");
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, setup.configuration(), work);
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings), EnrichmentSinks.kafka(settings),
                stream -> FailureInjector.addTo(stream, EnrichedTransaction.class, FAILURES, 2));
        env.execute(TransactionsEnrichmentJob.NAME);

        var registryConfig = setup.pipeline.registryConfig();
        enrichedRecords = TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched"));
        lateRecords = TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("late"));
        deadLetterRecords = TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("dead-letters"));
        enriched = decode(enrichedRecords, EnrichedTransaction.class, registryConfig);
        late = decode(lateRecords, LateTransaction.class, registryConfig);
        deadLetters = decode(deadLetterRecords, DeadLetter.class, registryConfig);
    }

    @Test
    void failedTwiceAfterCompletedCheckpoints() {
        assertThat(FailureInjector.injected(FAILURES)).isEqualTo(2);
    }

    @Test
    void everyUniqueValidEventIsEnrichedExactlyOnce() {
        Set<UUID> expected = idsOf(TrafficKind.VALID, TrafficKind.OUT_OF_ORDER);
        List<UUID> ids = enriched.stream().map(EnrichedTransaction::getEventId).toList();

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(SetDifference.missing(expected, ids)).as("unique valid events not enriched").isEmpty();
        assertThat(SetDifference.unexpected(expected, ids)).as("enriched events not expected").isEmpty();
        assertThat(input).filteredOn(g -> g.kind() == TrafficKind.DUPLICATE).hasSizeGreaterThan(RECORDS * 5 / 100);
    }

    @Test
    void everyLateEventIsInTheLateTopicExactlyOnce() {
        List<UUID> ids = late.stream().map(l -> l.getTransaction().getEventId()).toList();

        assertThat(ids).doesNotHaveDuplicates().isNotEmpty();
        assertThat(SetDifference.missing(idsOf(TrafficKind.LATE), ids)).as("late events not in the late topic").isEmpty();
        assertThat(SetDifference.unexpected(idsOf(TrafficKind.LATE), ids)).as("events judged late wrongly").isEmpty();
    }

    @Test
    void everyBadRecordIsInTheDeadLetterTopicOnceWithItsBytesAndReason() {
        Map<String, Long> expected = input.stream().filter(g -> g.kind().rejected())
                .collect(Collectors.groupingBy(g -> DLQ_REASON.get(g.kind()), TreeMap::new, Collectors.counting()));
        Map<String, Long> actual = deadLetters.stream()
                .collect(Collectors.groupingBy(DeadLetter::getReason, TreeMap::new, Collectors.counting()));

        assertThat(actual).isEqualTo(expected);
        assertThat(deadLetters).extracting(d -> d.getSourcePartition() + "@" + d.getSourceOffset())
                .doesNotHaveDuplicates();
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.getOriginalValue().remaining()).isPositive();
            assertThat(d.getSourceTopic()).isEqualTo("failover.payments.transactions.v1");
            assertThat(d.getJob()).isEqualTo(TransactionsEnrichmentJob.NAME);
        });
        assertThat(input.stream().filter(g -> g.kind().malformed()).count()).isGreaterThan(RECORDS / 100);
    }

    @Test
    void theCountsAddUpToTheInput() {
        long duplicates = input.stream().filter(g -> g.kind() == TrafficKind.DUPLICATE).count();

        assertThat(enriched.size() + late.size() + deadLetters.size() + duplicates).isEqualTo(RECORDS);
    }

    @Test
    void everyEnrichedEventCarriesItsAccountMerchantAndTheRateValidAtItsTime() {
        Map<UUID, Transaction> byId = new HashMap<>();
        input.forEach(g -> byId.put(g.transaction().getEventId(), g.transaction()));
        Map<String, TreeMap<Instant, BigDecimal>> rateHistory = new HashMap<>();
        rates.forEach(r -> rateHistory.computeIfAbsent(r.getCurrency(), c -> new TreeMap<>())
                .put(r.getValidFrom(), r.getRateToUsd()));

        assertThat(enriched).allSatisfy(e -> {
            Transaction source = byId.get(e.getEventId());
            assertThat(e.getAccountKnown()).isTrue();
            assertThat(e.getMerchantKnown()).isTrue();
            assertThat(e.getAmount()).isEqualTo(source.getAmount());
            assertThat(e.getCardLast4()).isEqualTo(source.getCardNumber().substring(source.getCardNumber().length() - 4));
            BigDecimal rate = source.getCurrency().equals("USD") ? BigDecimal.ONE
                    : rateHistory.get(source.getCurrency()).floorEntry(source.getEventTime()).getValue();
            assertThat(e.getAmountUsd())
                    .isEqualByComparingTo(source.getAmount().multiply(rate).setScale(4, RoundingMode.HALF_EVEN));
        });
    }

    @Test
    void noPersonalDataOfTheInputAppearsInAnyEncodingInTheOutputsOrTheLogs() throws Exception {
        PiiCanary canary = PiiCanary.of(input.stream().map(GeneratedTransaction::transaction).toList());

        assertThat(canary.findIn(enrichedRecords)).as("personal data in the enriched topic").isEmpty();
        assertThat(canary.findIn(lateRecords)).as("personal data in the late topic").isEmpty();
        assertThat(canary.findInLog()).as("personal data in the log of the run").isEmpty();
        assertThat(canary.size()).isGreaterThan(1_000);
        // The canary does find what it looks for: the dead-letter topic keeps original bytes.
        assertThat(canary.findIn(deadLetterRecords)).isNotEmpty();
    }

    private Set<UUID> idsOf(TrafficKind... kinds) {
        Set<TrafficKind> wanted = Set.of(kinds);
        return input.stream().filter(g -> wanted.contains(g.kind())).map(g -> g.transaction().getEventId())
                .collect(Collectors.toSet());
    }

    private static <T extends SpecificRecord> List<T> decode(List<ConsumerRecord<byte[], byte[]>> records,
            Class<T> type, io.tributary.registry.SchemaRegistryConfig registry) throws Exception {
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(type).registry(registry).build();
        List<T> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.add(deserializer.deserialize(record.value()));
        }
        return values;
    }
}
