package io.tributary.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.benchmarks.kafkastreams.KafkaStreamsEnrichment;
import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.LateTransaction;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.GeneratedTransaction;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.localstack.pipeline.TrafficKind;
import io.tributary.localstack.pipeline.TrafficWriter;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka Streams peer against the Flink job on the same few thousand generated records (5%
 * retries, 1% bad, late events), with the same tokenization key, each through its command line in a
 * JVM of its own as the harness runs them: read with read_committed, every
 * unique valid payment comes out of the peer exactly once, and its enriched record equals the Flink
 * job's, field by field. Only events generated late may be judged differently: the Flink job's
 * watermark also waits for the reference topics (dated days back) until their sources are idle, so
 * in a run this short it may enrich an event the peer, judging by its payments alone, calls late.
 */
@ExtendWith(LocalServersExtension.class)
class KafkaStreamsEnrichmentIT {
    private static final int RECORDS = 3_000;
    /**
     * The job JVMs' compiler: the client compiler only. This test compares what the two write, never how
     * fast; on a few thousand records the optimizing compiler's threads took a quarter to a half of each job
     * JVM's CPU (the harness's top-thread column) on two cores that the jobs also need.
     */
    private static final List<String> JIT = List.of("-XX:TieredStopAtLevel=1");

    @Test
    void everyUniqueValidPaymentOnceAndEnrichedAsByTheFlinkJob(KafkaBroker kafka, SchemaRegistryServer registry,
            @TempDir Path dir) throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);
        String run = "ks-it" + System.nanoTime() % 100_000;
        String inputs = run + ".in.";
        String flinkOutputs = run + ".flink.";
        String streamsOutputs = run + ".streams.";
        for (String prefix : List.of(inputs, flinkOutputs, streamsOutputs)) {
            kafka.createTopics(TributaryTopics.newTopics(prefix));
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        // One tokenization key for both, so that their tokens agree.
        Map<String, String> environment = Map.of("TRIBUTARY_TOKENIZATION_KEY", Base64.getEncoder().encodeToString(key));
        Set<String> generatedLate = new HashSet<>();
        Set<String> uniqueValid = writeWorkload(pipeline, inputs, generatedLate);

        runFlinkJob(pipeline, environment, inputs, flinkOutputs, dir.resolve("flink"));
        Outputs flink = Outputs.read(kafka.bootstrapServers(), flinkOutputs, pipeline.registryConfig(),
                uniqueValid.size(), true);
        Outputs streams;
        try (ChildJob peer = startPeer(pipeline, environment, inputs, streamsOutputs, dir.resolve("streams"), run)) {
            streams = Outputs.read(kafka.bootstrapServers(), streamsOutputs, pipeline.registryConfig(),
                    uniqueValid.size(), false);
            assertThat(peer.isAlive()).as("the peer still runs, see " + dir.resolve("streams")).isTrue();
        }

        assertThat(flink.everyEventId()).as("the Flink job's enriched and late events")
                .containsExactlyInAnyOrderElementsOf(uniqueValid);
        assertThat(streams.everyEventId()).as("the peer's enriched and late events, each once")
                .containsExactlyInAnyOrderElementsOf(uniqueValid);
        Set<String> judgedDifferently = new HashSet<>(streams.late.keySet());
        judgedDifferently.addAll(flink.late.keySet());
        judgedDifferently.removeIf(id -> streams.late.containsKey(id) && flink.late.containsKey(id));
        assertThat(generatedLate).as("late by one and not the other").containsAll(judgedDifferently);
        Set<String> enrichedByBoth = new HashSet<>(streams.enriched.keySet());
        enrichedByBoth.retainAll(flink.enriched.keySet());
        Set<String> onTime = new HashSet<>(uniqueValid);
        onTime.removeAll(generatedLate);
        assertThat(enrichedByBoth).containsAll(onTime);
        List<String> differences = new ArrayList<>();
        List<String> supersededRate = new ArrayList<>();
        for (String id : enrichedByBoth) {
            List<String> fields = differences(streams.enriched.get(id), flink.enriched.get(id));
            if (!fields.isEmpty() && jobUsedASupersededRate(streams.enriched.get(id), flink.enriched.get(id))) {
                supersededRate.add(String.join(", ", fields));
            } else {
                differences.addAll(fields);
            }
        }
        assertThat(differences).as("fields where the peer's record differs from the Flink job's").isEmpty();
        // A known defect of the Flink job, tolerated here only in this shape and this rarely: a payment
        // read before the FX rate of its hour reached the job's broadcast state goes out with the rate
        // before it. Kafka Streams loads its global stores before it processes anything; the Flink
        // job reads the reference topics beside the payments. Seen once, on 2026-12-07; how often is unmeasured.
        assertThat(supersededRate).as("payments the Flink job converted with a rate superseded at their event time")
                .hasSizeLessThanOrEqualTo(RECORDS / 100);
        if (!supersededRate.isEmpty()) {
            System.out.printf("The Flink job used a superseded FX rate for %d payments (start-up race): %s%n",
                    supersededRate.size(), supersededRate);
        }
        System.out.printf("%d unique valid payments, %d generated late: %d late by the peer, %d by the Flink job;"
                        + " %d enriched by both, identical%n", uniqueValid.size(), generatedLate.size(),
                streams.late.size(), flink.late.size(), enrichedByBoth.size());
    }

    /**
     * Writes the reference data and the payments; returns the event ids of the unique valid payments
     * and adds those generated late to {@code generatedLate}.
     */
    private static Set<String> writeWorkload(LocalPipeline pipeline, String inputs, Set<String> generatedLate) {
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(13).accounts(500).merchants(100).start(start).meanGap(Duration.ofMillis(1))
                .lateAfter(RECORDS / 10));
        Set<String> uniqueValid = new HashSet<>();
        try (TrafficWriter writer = new TrafficWriter(pipeline.kafka().bootstrapServers(), pipeline.registryConfig(),
                inputs)) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofMillis(RECORDS)).plus(Duration.ofHours(1))));
            for (int i = 0; i < RECORDS; i++) {
                GeneratedTransaction g = generator.next();
                if (g.kind() != TrafficKind.DUPLICATE && !g.kind().rejected()) {
                    uniqueValid.add(g.transaction().getEventId().toString());
                }
                if (g.kind() == TrafficKind.LATE) {
                    generatedLate.add(g.transaction().getEventId().toString());
                }
                writer.write(g);
            }
            writer.flush();
        }
        return uniqueValid;
    }

    /** The Flink job through its command line, bounded by the input's end, in a JVM of its own. */
    private static void runFlinkJob(LocalPipeline pipeline, Map<String, String> environment, String inputs,
            String outputs, Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "transactions-enrichment", "--bootstrap-servers",
                pipeline.kafka().bootstrapServers(), "--registry-url", pipeline.registry().url(),
                "--local-dir", dir.toString()));
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "tributary.kafka.group-id", outputs + "enrichment",
                "tributary.enrichment.transactional-id-prefix", outputs + "enrichment",
                "tributary.kafka.stop-at-latest", "true",
                "tributary.kafka.starting-offsets", "EARLIEST",
                "execution.checkpointing.interval", "1s",
                "parallelism.default", "2"));
        options.putAll(Map.of(
                "tributary.topics.transactions", inputs + TopicContract.TRANSACTIONS.topic(),
                "tributary.topics.accounts", inputs + TopicContract.ACCOUNT_PROFILES.topic(),
                "tributary.topics.merchants", inputs + TopicContract.MERCHANTS.topic(),
                "tributary.topics.fx-rates", inputs + TopicContract.FX_RATES.topic(),
                "tributary.topics.enriched", outputs + TopicContract.ENRICHED_TRANSACTIONS.topic(),
                "tributary.topics.late", outputs + TopicContract.LATE_TRANSACTIONS.topic(),
                "tributary.topics.dead-letters", outputs + TopicContract.DEAD_LETTERS.topic()));
        options.forEach((key, value) -> args.addAll(List.of("-D", key + "=" + value)));
        try (ChildJob job = ChildJob.start(JobClasspath.FLINK, "io.tributary.cli.Tributary", args, environment,
                dir.resolve("job.log"), JIT)) {
            assertThat(job.awaitExit(Duration.ofMinutes(3))).as("the Flink job's exit, see " + dir).isZero();
        }
    }

    /** The peer as the harness runs it: its command line, in a JVM of its own, with its own RocksDB. */
    private static ChildJob startPeer(LocalPipeline pipeline, Map<String, String> environment, String inputs,
            String outputs, Path dir, String run) throws Exception {
        return ChildJob.start(JobClasspath.KAFKA_STREAMS, KafkaStreamsEnrichment.class.getName(),
                KafkaStreamsEnrichment.arguments(pipeline.kafka().bootstrapServers(), pipeline.registry().url(),
                        run + "-enrichment", inputs + TopicContract.TRANSACTIONS.topic(), inputs, outputs,
                        dir.resolve("state")), environment, dir.resolve("job.log"), JIT);
    }

    /**
     * Whether the two records differ only in the FX conversion, the job's rate being an older one of
     * the currency than the peer's, which was valid at the payment's event time.
     */
    private static boolean jobUsedASupersededRate(EnrichedTransaction peer, EnrichedTransaction job) {
        Set<String> fxFields = Set.of("amount_usd", "fx_rate_to_usd", "fx_rate_valid_from");
        for (Schema.Field field : EnrichedTransaction.getClassSchema().getFields()) {
            Object a = peer.get(field.pos());
            Object b = job.get(field.pos());
            if (!fxFields.contains(field.name()) && (a == null ? b != null : !a.equals(b))) {
                return false;
            }
        }
        return peer.getFxRateValidFrom() != null && job.getFxRateValidFrom() != null
                && job.getFxRateValidFrom().isBefore(peer.getFxRateValidFrom())
                && !peer.getFxRateValidFrom().isAfter(peer.getEventTime());
    }

    /** The names of the fields where {@code actual} differs from {@code expected}, with both values. */
    private static List<String> differences(EnrichedTransaction actual, EnrichedTransaction expected) {
        List<String> fields = new ArrayList<>();
        for (Schema.Field field : EnrichedTransaction.getClassSchema().getFields()) {
            Object a = actual.get(field.pos());
            Object e = expected.get(field.pos());
            if (a == null ? e != null : !a.equals(e)) {
                fields.add(actual.getEventId() + "." + field.name() + ": " + a + " instead of " + e);
            }
        }
        return fields;
    }

    /** What a job wrote to its enriched and late topics, by event id, as a read_committed consumer sees it. */
    private record Outputs(Map<String, EnrichedTransaction> enriched, Map<String, LateTransaction> late,
            List<String> everyEventId) {
        /**
         * Reads what a job still running wrote: until {@code expected} events have arrived and five more
         * seconds bring nothing, or two minutes pass. Of a job that has ended ({@code writerEnded}), whose
         * topics are complete, reads everything they hold: to their last stable offsets.
         */
        static Outputs read(String bootstrapServers, String prefix, SchemaRegistryConfig registry, int expected,
                boolean writerEnded) throws Exception {
            var enrichedValues = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                    .registry(registry).build();
            var lateValues = ConfluentAvroDeserializationSchema.forSpecific(LateTransaction.class)
                    .registry(registry).build();
            String enrichedTopic = prefix + TopicContract.ENRICHED_TRANSACTIONS.topic();
            Map<String, EnrichedTransaction> enriched = new HashMap<>();
            Map<String, LateTransaction> late = new HashMap<>();
            List<String> every = new ArrayList<>();
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "reader");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<String> topics = List.of(enrichedTopic, prefix + TopicContract.LATE_TRANSACTIONS.topic());
                Map<TopicPartition, Long> ends;
                if (writerEnded) {
                    List<TopicPartition> partitions = new ArrayList<>();
                    topics.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t,
                            p.partition()))));
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    ends = consumer.endOffsets(partitions);
                } else {
                    consumer.subscribe(topics);
                    ends = null;
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                long quietSince = System.nanoTime();
                long quiet = Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < deadline && (ends != null
                        ? ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                        : every.size() < expected || System.nanoTime() - quietSince < quiet)) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        quietSince = System.nanoTime();
                    }
                    for (var record : records) {
                        if (record.topic().equals(enrichedTopic)) {
                            EnrichedTransaction e = enrichedValues.deserialize(record.value());
                            enriched.put(e.getEventId().toString(), e);
                            every.add(e.getEventId().toString());
                        } else {
                            LateTransaction l = lateValues.deserialize(record.value());
                            late.put(l.getTransaction().getEventId().toString(), l);
                            every.add(l.getTransaction().getEventId().toString());
                        }
                    }
                }
            }
            return new Outputs(enriched, late, every);
        }
    }
}
