package io.tributary.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.localstack.junit.LocalServersExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/** Each server, started through the extension, doing real work. */
@ExtendWith(LocalServersExtension.class)
class LocalServersIT {

    private final KafkaBroker kafkaFromConstructor;

    LocalServersIT(KafkaBroker kafka) {
        this.kafkaFromConstructor = kafka;
    }

    @Test
    void kafkaReadCommittedConsumersSeeCommittedTransactionsOnly(KafkaBroker kafka) {
        String topic = "local-servers-it.transactions";
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic, 1); // Creating an existing topic is fine.

        Properties producerProperties = kafka.clientProperties();
        producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-servers-it-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed-2"));
            producer.commitTransaction();
        }

        Properties consumerProperties = kafka.clientProperties();
        consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // For a read_committed consumer the end offset is the last stable offset: past all three transactions.
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        assertThat(values).containsExactly("committed-1", "committed-2");
    }

    @Test
    void kafkaDoesNotCreateTopicsOnFirstUse(KafkaBroker kafka) throws Exception {
        try (Admin admin = kafka.newAdmin()) {
            String brokerId = String.valueOf(admin.describeCluster().nodes().get().iterator().next().id());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
            Map<ConfigResource, Config> configs = admin.describeConfigs(Set.of(broker)).all().get();
            assertThat(configs.get(broker).get("auto.create.topics.enable").value()).isEqualTo("false");
        }
    }

    @Test
    void schemaRegistryServesTheConfluentApi(SchemaRegistryServer registry) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);

        HttpResponse<String> registered = TestSchemaRegistration.register(http, registry, "local-servers-it-value");
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(registered.body()).matches("\\{\\s*\"id\"\\s*:\\s*\\d+\\s*}");
    }

    @Test
    void redisAnswersCommands(RedisServer redis) {
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            jedis.set("local-servers-it", "value");
            assertThat(jedis.get("local-servers-it")).isEqualTo("value");
        }
        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    }

    @Test
    void postgresRunsSql(PostgresServer postgres) throws Exception {
        DataSource database = postgres.createDatabase("local_servers_it");
        postgres.createDatabase("local_servers_it"); // Creating an existing database is fine.
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE payments (id TEXT PRIMARY KEY, amount NUMERIC(12, 2) NOT NULL)");
            statement.execute("INSERT INTO payments VALUES ('p-1', 12.50), ('p-2', 7.25)");
        }
        try (Connection connection = DriverManager.getConnection(
                     postgres.jdbcUrl("local_servers_it"), postgres.user(), postgres.password());
             Statement statement = connection.createStatement();
             ResultSet sum = statement.executeQuery("SELECT count(*), sum(amount) FROM payments")) {
            assertThat(sum.next()).isTrue();
            assertThat(sum.getInt(1)).isEqualTo(2);
            assertThat(sum.getBigDecimal(2)).isEqualByComparingTo("19.75");
        }
    }

    @Test
    void theExtensionHandsOutOneInstancePerServer(KafkaBroker kafka, RedisServer first, RedisServer second) {
        assertThat(kafka).isSameAs(kafkaFromConstructor).isSameAs(LocalServers.kafka());
        assertThat(first).isSameAs(second).isSameAs(LocalServers.redis());
    }
}
