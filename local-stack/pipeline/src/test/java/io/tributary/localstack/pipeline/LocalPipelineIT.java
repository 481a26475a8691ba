package io.tributary.localstack.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.contracts.TopicContract;
import io.tributary.events.Transaction;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.DecodingFailure;
import io.tributary.serde.EventDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The prepared stack has every topic and subject, and generated traffic decodes as its kind says. */
@ExtendWith(LocalServersExtension.class)
class LocalPipelineIT {
    private static final Map<TrafficKind, DecodingFailure> EXPECTED_FAILURE = Map.of(
            TrafficKind.MALFORMED_NOT_AVRO, DecodingFailure.WRONG_MAGIC_BYTE,
            TrafficKind.MALFORMED_TRUNCATED, DecodingFailure.TRUNCATED,
            TrafficKind.MALFORMED_UNKNOWN_SCHEMA_ID, DecodingFailure.UNKNOWN_SCHEMA_ID);

    @Test
    void preparesTopicsAndSubjectsAndCarriesGeneratedTraffic(KafkaBroker kafka, SchemaRegistryServer registry)
            throws Exception {
        LocalPipeline pipeline = LocalPipeline.prepare(kafka, registry);

        try (Admin admin = kafka.newAdmin()) {
            assertThat(admin.listTopics().names().get()).containsAll(
                    TributaryTopics.newTopics().stream().map(t -> t.name()).toList());
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, TopicContract.ACCOUNT_PROFILES.topic());
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(TopicContract.TRANSACTIONS.topic())).allTopicNames().get()
                    .get(TopicContract.TRANSACTIONS.topic()).partitions()).hasSize(TopicContract.TRANSACTIONS.partitions());
        }
        assertThat(SchemaRegistryClient.create(pipeline.registryConfig()).subjects())
                .contains(TopicContract.TRANSACTIONS.subject(), TopicContract.FRAUD_ALERTS.subject());

        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options().seed(3)
                .malformedRate(0.05));
        Map<UUID, TrafficKind> written = new java.util.HashMap<>();
        Map<TrafficKind, Integer> expected = new EnumMap<>(TrafficKind.class);
        try (TrafficWriter writer = pipeline.trafficWriter()) {
            for (int i = 0; i < 2_000; i++) {
                GeneratedTransaction g = generator.next();
                writer.write(g);
                expected.merge(g.kind(), 1, Integer::sum);
                if (g.kind() != TrafficKind.DUPLICATE) {
                    written.put(g.transaction().getEventId(), g.kind());
                }
            }
            writer.flush();
        }

        var deserializer = ConfluentAvroDeserializationSchema.forSpecific(Transaction.class)
                .registry(pipeline.registryConfig()).build();
        Map<DecodingFailure, Integer> failures = new EnumMap<>(DecodingFailure.class);
        int decoded = 0;
        for (byte[] value : readAll(kafka, TopicContract.TRANSACTIONS.topic(), 2_000)) {
            try {
                Transaction t = deserializer.deserialize(value);
                assertThat(written).containsKey(t.getEventId());
                decoded++;
            } catch (EventDecodingException e) {
                failures.merge(e.failure(), 1, Integer::sum);
            }
        }

        Map<DecodingFailure, Integer> expectedFailures = new EnumMap<>(DecodingFailure.class);
        EXPECTED_FAILURE.forEach((kind, failure) -> expectedFailures.put(failure, expected.getOrDefault(kind, 0)));
        expectedFailures.values().removeIf(n -> n == 0);
        assertThat(failures).isEqualTo(expectedFailures);
        assertThat(decoded + failures.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2_000);
    }

    private static List<byte[]> readAll(KafkaBroker kafka, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-pipeline-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<byte[]> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        assertThat(values).hasSize(expected);
        return values;
    }
}
