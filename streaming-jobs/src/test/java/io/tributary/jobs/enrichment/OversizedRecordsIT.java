package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.DeadLetter;
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
import io.tributary.serde.ConfluentAvroSerializationSchema;
import io.tributary.testing.TopicReader;
import io.tributary.contracts.TopicContract;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records as large as the input topic accepts do not stop the enrichment job: a record of bad bytes
 * just under the input's 1 MiB message limit reaches the DLQ with every byte (its dead letter is
 * larger than Kafka's default request and message limits, which the DLQ's producer and topic raise), and a well-formed
 * payment far larger than any real one is refused by the contract instead of being enriched into an
 * output record that its topic could not take. Without that, the DLQ sink fails on the record, the
 * job restarts, reads it again and fails again, forever.
 */
@ExtendWith(LocalServersExtension.class)
class OversizedRecordsIT {
    /** About as large as a record the broker's default 1 MiB message limit lets onto the input topic. */
    private static final int BAD_BYTES = 1_048_400;
    private static final int HUGE_DEVICE_ID = 200_000;

    @Test
    void oversizedRecordsGoToTheDlqWholeAndTheJobCarriesOn(KafkaBroker kafka, SchemaRegistryServer registry)
            throws Exception {
        EnrichmentItSetup setup = new EnrichmentItSetup("oversized.", kafka, registry);
        setup.options.put("tributary.kafka.stop-at-latest", "true");
        Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options()
                .seed(7).accounts(20).merchants(5).start(start).duplicateRate(0).malformedRate(0));
        List<UUID> valid = new ArrayList<>();
        Transaction template;
        try (TrafficWriter writer = new TrafficWriter(kafka.bootstrapServers(), setup.pipeline.registryConfig(),
                setup.prefix)) {
            writer.writeReferenceData(generator.accounts(), generator.merchants(),
                    generator.fxRates(start, start.plus(Duration.ofHours(1))));
            GeneratedTransaction first = generator.next();
            template = first.transaction();
            for (GeneratedTransaction g = first; valid.size() < 50; g = generator.next()) {
                if (g.kind() == TrafficKind.VALID) {
                    writer.write(g);
                    valid.add(g.transaction().getEventId());
                }
            }
            writer.flush();
        }

        byte[] badBytes = new byte[BAD_BYTES];
        new Random(1).nextBytes(badBytes);
        badBytes[0] = 'X'; // not the Confluent magic byte
        Transaction huge = Transaction.newBuilder(template).setEventId(UUID.randomUUID())
                .setDeviceId("d".repeat(HUGE_DEVICE_ID)).build();
        byte[] hugePayment = ConfluentAvroSerializationSchema.forSpecific(Transaction.class)
                .topic(TopicContract.TRANSACTIONS).registry(setup.pipeline.registryConfig()).build().serialize(huge);
        RecordMetadata badAt;
        RecordMetadata hugeAt;
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * BAD_BYTES), new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] key = template.getAccountId().getBytes(StandardCharsets.UTF_8);
            badAt = producer.send(new ProducerRecord<>(setup.topic("transactions"), key, badBytes)).get();
            hugeAt = producer.send(new ProducerRecord<>(setup.topic("transactions"), key, hugePayment)).get();
        }

        EnrichmentSettings settings = setup.settings();
        StreamExecutionEnvironment env = JobEnvironments.create(TransactionsEnrichmentJob.NAME, setup.configuration(),
                Files.createTempDirectory("oversized"));
        TransactionsEnrichmentJob.build(env, settings.parameters(), settings.quality(), EnrichmentSources.kafka(settings),
                EnrichmentSinks.kafka(settings));
        JobClient job = env.executeAsync(TransactionsEnrichmentJob.NAME);
        try {
            // The input is bounded (stop-at-latest): a job that can write everything finishes.
            job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            job.cancel();
            throw new AssertionError("The job did not finish within 3 minutes: it restarts on the oversized records", e);
        }

        var registryConfig = setup.pipeline.registryConfig();
        List<DeadLetter> deadLetters = TopicReader.decode(
                TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("dead-letters")), DeadLetter.class,
                registryConfig);
        assertThat(deadLetters).hasSize(2);
        DeadLetter bad = deadLetterAt(deadLetters, badAt);
        // Refused for its size before its bytes are even looked at.
        assertThat(bad.getReason()).isEqualTo("CONTRACT_RECORD_TOO_LARGE");
        assertThat(bytes(bad.getOriginalValue())).isEqualTo(badBytes);
        DeadLetter tooLarge = deadLetterAt(deadLetters, hugeAt);
        assertThat(tooLarge.getReason()).isEqualTo("CONTRACT_RECORD_TOO_LARGE");
        assertThat(bytes(tooLarge.getOriginalValue())).isEqualTo(hugePayment);

        List<UUID> enriched = TopicReader.decode(
                TopicReader.readCommitted(kafka.bootstrapServers(), setup.topic("enriched")), EnrichedTransaction.class,
                registryConfig).stream().map(EnrichedTransaction::getEventId).toList();
        assertThat(enriched).containsExactlyInAnyOrderElementsOf(valid);
    }

    private static DeadLetter deadLetterAt(List<DeadLetter> deadLetters, RecordMetadata at) {
        return deadLetters.stream()
                .filter(d -> d.getSourcePartition() == at.partition() && d.getSourceOffset() == at.offset())
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter of offset " + at.offset()));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
