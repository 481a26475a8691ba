package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.TopicContract;
import io.tributary.events.FraudRule;
import io.tributary.events.RuleType;
import io.tributary.jobs.common.Decoded;
import io.tributary.localstack.KafkaBroker;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.localstack.pipeline.LocalPipeline;
import io.tributary.localstack.pipeline.TributaryTopics;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import io.tributary.state.JobConfiguration;
import io.tributary.testing.DownstreamTopicsWriter;
import io.tributary.testing.LocalServersJobOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * fraud-detection's {@link RulesAtStart} as the job wires it ({@link FraudSources#kafka}), on a real
 * broker and registry: it reads the rules topic to its end as a read_committed consumer sees it,
 * tombstones included, malformed records and an open transaction's rule left out, and says where its
 * last change was (not a malformed record after it), so that the card stage knows when its broadcast
 * input has caught up. A topic that does not exist is an error, not a topic created by the asking.
 */
@ExtendWith(LocalServersExtension.class)
class RulesAtStartIT {

    @Test
    void readsTheCommittedRulesToTheEndWithoutMalformedOnesOrAnOpenTransaction(KafkaBroker kafka,
            SchemaRegistryServer registry) throws Exception {
        String prefix = "rulesatstart.";
        SchemaRegistryConfig registryConfig = LocalPipeline.prepare(kafka, registry).registryConfig();
        kafka.createTopics(TributaryTopics.newTopics(prefix));
        String topic = prefix + TopicContract.FRAUD_RULES.topic();
        var framing = ConfluentAvroSerializationSchema.forSpecific(FraudRule.class).topic(TopicContract.FRAUD_RULES)
                .registry(registryConfig).build();

        RulesAtStart.Read read;
        try (DownstreamTopicsWriter writer = new DownstreamTopicsWriter(kafka.bootstrapServers(), registryConfig, prefix);
                KafkaProducer<byte[], byte[]> transactions = transactionalProducer(kafka, prefix)) {
            writer.rule(rule("big")); // offset 0
            writer.rule(rule("small")); // 1
            writer.raw(TopicContract.FRAUD_RULES, "bad", new byte[] {0, 0, 0, 0, 1, 2, 3}); // 2: a dead letter
            writer.raw(TopicContract.FRAUD_RULES, "small", null); // 3: small deleted
            writer.flush();
            transactions.initTransactions();
            transactions.beginTransaction();
            transactions.send(record(topic, framing.serialize(rule("committed")))); // 4, its commit marker 5
            transactions.commitTransaction();
            writer.raw(TopicContract.FRAUD_RULES, "bad", new byte[] {9}); // 6: a dead letter, the last record read
            writer.flush();
            transactions.beginTransaction();
            transactions.send(record(topic, framing.serialize(rule("open")))); // 7, not committed while read
            transactions.flush();

            read = rulesAtStart(kafka, registry, prefix).read(context(), 0);
            transactions.abortTransaction();
        }

        assertThat(read.changes()).extracting(c -> c.isTombstone() ? "tombstone " + c.key : c.value.getRuleId())
                .containsExactly("big", "small", "tombstone small", "committed");
        assertThat(read.changes()).allSatisfy(c -> assertThat(c.origin).isNotNull());
        assertThat(read.lastOffsets()).isEqualTo(Map.of(0, 4L));
    }

    @Test
    void aMissingRulesTopicIsAClearErrorAndIsNotCreated(KafkaBroker kafka, SchemaRegistryServer registry)
            throws Exception {
        String prefix = "rulesatstartmissing.";
        LocalPipeline.prepare(kafka, registry);

        assertThatThrownBy(() -> rulesAtStart(kafka, registry, prefix).read(context(), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The rules topic " + prefix + TopicContract.FRAUD_RULES.topic() + " has no partitions");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(prefix + TopicContract.FRAUD_RULES.topic());
        }
    }

    private static RulesAtStart rulesAtStart(KafkaBroker kafka, SchemaRegistryServer registry, String prefix) {
        Map<String, String> options = LocalServersJobOptions.forJob("fraud", prefix, kafka, registry, Duration.ofSeconds(2));
        options.put("tributary.topics.fraud-rules", prefix + TopicContract.FRAUD_RULES.topic());
        options.put("tributary.redis.host", "localhost"); // required by the settings; not reached
        var configuration = JobConfiguration.resolve(null, options, FraudOptions.all()).configuration();
        return FraudSources.kafka(FraudSettings.from(configuration, Map.of())).rulesAtStart();
    }

    private static DeserializationSchema.InitializationContext context() {
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(RulesAtStartIT.class.getClassLoader());
            }
        };
    }

    private static FraudRule rule(String id) {
        return FraudTestData.rule(id, 1, RuleType.FEATURE_THRESHOLD, 0).setFeature("card.sum_usd_1m").setThreshold(100.0)
                .build();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, byte[] value) {
        return new ProducerRecord<>(topic, "committed".getBytes(StandardCharsets.UTF_8), value);
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(KafkaBroker kafka, String prefix) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "rules-writer");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
