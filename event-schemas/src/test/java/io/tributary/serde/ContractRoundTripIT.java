package io.tributary.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.ContractRegistration;
import io.tributary.contracts.TopicContract;
import io.tributary.events.SampleEvents;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.internal.ConfluentSchemaCoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One record of every topic, written with the Flink serialization schema to a real Kafka topic
 * in a transaction, read back with read_committed, checked byte by byte for the Confluent framing
 * and the registered id, and decoded with the Flink deserialization schema to an equal record.
 */
@ExtendWith(LocalServersExtension.class)
class ContractRoundTripIT {
    @Test
    void everyTopicRoundTripsInTheConfluentWireFormat(KafkaBroker kafka, SchemaRegistryServer registry)
            throws Exception {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder(registry.url()).build();
        Map<TopicContract, Integer> ids = ContractRegistration.registerAll(SchemaRegistryClient.create(config))
                .stream().collect(Collectors.toMap(ContractRegistration.Registered::contract,
                        ContractRegistration.Registered::id));
        List<NewTopic> topics = new ArrayList<>();
        for (TopicContract contract : TopicContract.values()) {
            topics.add(new NewTopic(roundTripTopic(contract), contract.partitions(), (short) 1)
                    .configs(contract.topicConfigs()));
        }
        kafka.createTopics(topics);

        for (TopicContract contract : TopicContract.values()) {
            SpecificRecord sample = SampleEvents.of(contract);
            byte[] written = serializer(contract, config).serialize(sample);
            produceInTransaction(kafka, roundTripTopic(contract), written);

            byte[] read = consumeOne(kafka, roundTripTopic(contract));

            assertThat(read).as("%s bytes", contract.topic()).isEqualTo(written);
            assertThat(read[0]).as("%s magic byte", contract.topic()).isZero();
            assertThat(ByteBuffer.wrap(read, 1, 4).getInt()).as("%s schema id", contract.topic())
                    .isEqualTo(ids.get(contract));
            Object decoded = ConfluentAvroDeserializationSchema.forSpecific(contract.valueClass()).registry(config)
                    .build().deserialize(read);
            assertThat(decoded).as("%s record", contract.topic()).isEqualTo(sample);
        }
    }

    /**
     * The writer reuses its buffer and encoder from record to record: every topic's record must come
     * out as flink-avro's own writer frames it, also after a record the writer refused half-way.
     */
    @Test
    void writesWhatFlinkAvroWritesAlsoAfterARefusedRecord(SchemaRegistryServer registry) throws Exception {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder(registry.url()).build();
        ContractRegistration.registerAll(SchemaRegistryClient.create(config));
        for (TopicContract contract : TopicContract.values()) {
            SpecificRecord sample = SampleEvents.of(contract);
            ConfluentAvroSerializationSchema<SpecificRecord> writer = serializer(contract, config);
            byte[] expected = flinkAvroWriter(contract, config).serialize(sample);

            assertThat(writer.serialize(sample)).as("%s, first record", contract.topic()).isEqualTo(expected);
            SpecificRecord broken = SampleEvents.of(contract);
            broken.put(lastRequiredObjectField(broken.getSchema()), null);
            assertThatThrownBy(() -> writer.serialize(broken)).as("%s, a required field missing", contract.topic())
                    .isInstanceOf(RuntimeException.class);
            assertThat(writer.serialize(sample)).as("%s, after a refused record", contract.topic()).isEqualTo(expected);
        }
    }

    /** The last field that must not be null and is not a primitive: where a writer fails late. */
    private static int lastRequiredObjectField(Schema schema) {
        List<Schema.Field> fields = schema.getFields();
        for (int i = fields.size() - 1; i >= 0; i--) {
            switch (fields.get(i).schema().getType()) {
                case STRING, RECORD, ENUM, BYTES, FIXED, ARRAY, MAP:
                    return i;
                default:
                    break;
            }
        }
        throw new IllegalStateException(schema.getName() + " has no required object field");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RegistryAvroSerializationSchema<SpecificRecord> flinkAvroWriter(
            TopicContract contract, SchemaRegistryConfig config) {
        return new RegistryAvroSerializationSchema(contract.valueClass(), null,
                new ConfluentSchemaCoder.Provider(config, contract.subject(), false));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ConfluentAvroSerializationSchema<SpecificRecord> serializer(
            TopicContract contract, SchemaRegistryConfig config) {
        return (ConfluentAvroSerializationSchema) ConfluentAvroSerializationSchema
                .forSpecific(contract.valueClass()).topic(contract).registry(config).build();
    }

    /** Topics of their own, so that this test shares no state with tests of the real topics. */
    private static String roundTripTopic(TopicContract contract) {
        return "roundtrip." + contract.topic();
    }

    private static void produceInTransaction(KafkaBroker kafka, String topic, byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "roundtrip-" + topic);
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "key".getBytes(), value));
            producer.commitTransaction();
        }
    }

    private static byte[] consumeOne(KafkaBroker kafka, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "roundtrip-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).as("records in %s", topic).hasSize(1);
            return records.get(0).value();
        }
    }
}
