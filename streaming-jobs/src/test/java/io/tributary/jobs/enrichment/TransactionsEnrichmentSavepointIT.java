package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.AccountProfile;
import io.tributary.events.EnrichedTransaction;
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
import io.tributary.testing.SetDifference;
import io.tributary.testing.TopicReader;
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
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upgrade: the job stops with a savepoint and starts again from it with a changed graph (one more
 * stateless operator). Retries of events seen before the savepoint are still dropped, and accounts
 * are still known although the profile topic is not read again.
 */
@ExtendWith(LocalServersExtension.class)
class TransactionsEnrichmentSavepointIT {
    @Test
    void stateSurvivesAnUpgradeThroughASavepoint(KafkaBroker kafka, SchemaRegistryServer registry) throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup("savepoint.", kafka, registry);
        Path work = Files.createTempDirectory("enrichment-savepoint");
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(7).accounts(50).merchants(20).start(start).malformedRate(0).late(0, Duration.ofMinutes(10))
                .duplicateRate(0.2));
        Map<String, AccountProfile> profiles = new HashMap<>();
        generator.accounts().forEach(p -> profiles.put(p.getAccountId(), p));
        List<GeneratedTransaction> before = new ArrayList<>();
        List<GeneratedTransaction> after = new ArrayList<>();
        Set<UUID> expected = new HashSet<>();
        try (TrafficWriter writer = setup.trafficWriter()) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofHours(2))));
            for (int i = 0; i < 2_000; i++) {
                before.add(write(writer, generator.next()));
            }
            writer.flush();

            JobClient first = run(setup, work, null, UnaryOperator.identity());
            int uniqueBefore = unique(before).size();
            awaitEnriched(kafka, setup, uniqueBefore / 2);
            String savepoint = first.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            first.getJobExecutionResult().get();

            JobClient second = run(setup, work, savepoint, stream -> stream
                    .map(e -> e, TypeInformation.of(EnrichedTransaction.class))
                    .name("added stateless step").uid("added-stateless-step"));
            for (int i = 0; i < 2_000; i++) {
                after.add(write(writer, generator.next()));
            }
            writer.flush();
            // Restored at their end, the reference sources send nothing and hold the enricher's
            // broadcast input at the minimum watermark until they go idle. If the payments go idle
            // first, nothing moves the watermark any more: Flink 2.1 does not advance it when every
            // input is idle (CombinedWatermarkStatus). So the last push comes once they are idle.
            Thread.sleep(setup.settings().parameters().idleness().plusSeconds(5).toMillis());
            // Events whose rate or account is not known wait for the watermark, which moves only with
            // new events: one more payment per account, a minute after the rest, lets any held event
            // out. (A drained stop would not do: Flink drops the final watermark of a source that went
            // idle, FLINK-40499, so held events would stay held.)
            Instant later = after.stream().map(g -> g.transaction().getEventTime()).max(Instant::compareTo)
                    .orElseThrow().plus(Duration.ofMinutes(1));
            for (AccountProfile account : generator.accounts()) {
                Transaction t = Transaction.newBuilder(before.get(0).transaction()).setEventId(UUID.randomUUID())
                        .setAccountId(account.getAccountId()).setEventTime(later).build();
                writer.write(new GeneratedTransaction(TrafficKind.VALID, t));
                expected.add(t.getEventId());
            }
            writer.flush();
            expected.addAll(unique(before));
            expected.addAll(unique(after));
            awaitEnriched(kafka, setup, expected.size());
            second.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            // The sinks commit their last transaction when the savepoint is confirmed: wait for the job to end.
            second.getJobExecutionResult().get();
        }

        List<EnrichedTransaction> enriched = enriched(kafka, setup);
        List<UUID> ids = enriched.stream().map(EnrichedTransaction::getEventId).toList();
        long retriesAfterOfEventsBefore = after.stream().filter(g -> g.kind() == TrafficKind.DUPLICATE)
                .filter(g -> unique(before).contains(g.transaction().getEventId())).count();

        assertThat(retriesAfterOfEventsBefore).as("retries after the upgrade of events seen before it").isPositive();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(SetDifference.missing(expected, ids)).as("unique events not enriched").isEmpty();
        assertThat(SetDifference.unexpected(expected, ids)).as("enriched events not expected").isEmpty();
        Set<UUID> afterIds = unique(after);
        assertThat(enriched).filteredOn(e -> afterIds.contains(e.getEventId())).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getAccountKnown()).isTrue();
            assertThat(e.getAccountRiskTier()).isEqualTo(profiles.get(e.getAccountId()).getRiskTier());
        });
    }

    private static GeneratedTransaction write(TrafficWriter writer, GeneratedTransaction g) {
        writer.write(g);
        return g;
    }

    private static Set<UUID> unique(List<GeneratedTransaction> records) {
        return records.stream().filter(g -> g.kind() != TrafficKind.DUPLICATE).map(g -> g.transaction().getEventId())
                .collect(Collectors.toSet());
    }

    private static JobClient run(EnrichmentItSetup setup, Path work, String savepoint,
            UnaryOperator<DataStream<EnrichedTransaction>> beforeSink) throws Exception {
        Configuration configuration = setup.configuration();
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        EnrichmentSettings settings = setup.settings();
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, configuration, work);
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings), EnrichmentSinks.kafka(settings),
                beforeSink);
        return env.executeAsync(TransactionsEnrichmentJob.NAME);
    }

    private static void awaitEnriched(KafkaBroker kafka, EnrichmentItSetup setup, int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            seen = TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched")).size();
            if (seen >= atLeast) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Only " + seen + " enriched events of the " + atLeast + " awaited after 90 s; "
                + consumption(kafka, setup));
    }

    /** Where the job's consumer group stands on the payment topic, for a failure message. */
    private static String consumption(KafkaBroker kafka, EnrichmentItSetup setup) throws Exception {
        String topic = setup.topic("transactions");
        try (Admin admin = kafka.newAdmin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            admin.listOffsets(latest).all().get().forEach((p, info) -> end.put(p, info.offset()));
            var committed = admin.listConsumerGroupOffsets(setup.options.get("tributary.kafka.group-id"))
                    .partitionsToOffsetAndMetadata().get();
            StringBuilder text = new StringBuilder("committed/end offsets of " + topic + ":");
            end.forEach((p, e) -> text.append(' ').append(p.partition()).append('=')
                    .append(committed.get(p) == null ? "none" : committed.get(p).offset()).append('/').append(e));
            return text.toString();
        }
    }

    private static List<EnrichedTransaction> enriched(KafkaBroker kafka, EnrichmentItSetup setup) throws Exception {
        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(EnrichedTransaction.class)
                .registry(setup.pipeline.registryConfig()).build();
        List<EnrichedTransaction> values = new ArrayList<>();
        for (var record : TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched"))) {
            values.add(deserializer.deserialize(record.value()));
        }
        return values;
    }
}
