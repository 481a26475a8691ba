package io.tributary.testing;

import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.ErasureRequest;
import io.tributary.events.FraudAlert;
import io.tributary.events.FraudRule;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes what the downstream jobs read (enriched payments, rules, alerts) to prefixed topics, as
 * the upstream jobs and the rules tool would: keyed as the contracts say, Confluent-framed.
 */
public final class DownstreamTopicsWriter implements AutoCloseable {
    private final String prefix;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroSerializationSchema<EnrichedTransaction> payments;
    private final ConfluentAvroSerializationSchema<FraudRule> rules;
    private final ConfluentAvroSerializationSchema<FraudAlert> alerts;
    private final ConfluentAvroSerializationSchema<ErasureRequest> erasureRequests;

    public DownstreamTopicsWriter(String bootstrapServers, SchemaRegistryConfig registry, String prefix) {
        this.prefix = prefix;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        payments = ConfluentAvroSerializationSchema.forSpecific(EnrichedTransaction.class)
                .topic(TopicContract.ENRICHED_TRANSACTIONS).registry(registry).build();
        rules = ConfluentAvroSerializationSchema.forSpecific(FraudRule.class).topic(TopicContract.FRAUD_RULES)
                .registry(registry).build();
        alerts = ConfluentAvroSerializationSchema.forSpecific(FraudAlert.class).topic(TopicContract.FRAUD_ALERTS)
                .registry(registry).build();
        erasureRequests = ConfluentAvroSerializationSchema.forSpecific(ErasureRequest.class)
                .topic(TopicContract.ERASURE_REQUESTS).registry(registry).build();
    }

    public void payment(EnrichedTransaction payment) {
        send(TopicContract.ENRICHED_TRANSACTIONS, payment.getAccountId(), payments.serialize(payment));
    }

    public void rule(FraudRule rule) {
        send(TopicContract.FRAUD_RULES, rule.getRuleId(), rules.serialize(rule));
    }

    public void alert(FraudAlert alert) {
        send(TopicContract.FRAUD_ALERTS, alert.getCardToken(), alerts.serialize(alert));
    }

    /** A GDPR erasure request for {@code account}, as {@code tributary gdpr erase} writes it. */
    public void erasureRequest(String account) {
        send(TopicContract.ERASURE_REQUESTS, account, erasureRequests.serialize(ErasureRequest.newBuilder()
                .setRequestId(UUID.randomUUID()).setAccountId(account).setRequestedAt(Instant.now())
                .setRequestedBy("test").build()));
    }

    /** Bytes as they are, framed or not: a poison pill as a faulty or hostile producer would write it. */
    public void raw(TopicContract contract, String key, byte[] value) {
        send(contract, key, value);
    }

    /** {@code payment} as {@link #payment} writes it: Confluent-framed, with its registered schema id. */
    public byte[] framed(EnrichedTransaction payment) {
        return payments.serialize(payment);
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    private void send(TopicContract contract, String key, byte[] value) {
        producer.send(new ProducerRecord<>(prefix + contract.topic(), key.getBytes(StandardCharsets.UTF_8), value));
    }
}
