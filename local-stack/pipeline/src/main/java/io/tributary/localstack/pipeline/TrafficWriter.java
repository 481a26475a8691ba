package io.tributary.localstack.pipeline;

import io.tributary.contracts.TopicContract;
import io.tributary.events.AccountProfile;
import io.tributary.events.FraudRule;
import io.tributary.events.FxRate;
import io.tributary.events.Merchant;
import io.tributary.events.Transaction;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import io.tributary.serde.ConfluentWireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes generated traffic to Kafka as a producer of the real system would: Confluent-framed Avro
 * values keyed as the contracts say, idempotently, with {@code acks=all}. Malformed kinds are
 * written as the spoiled bytes they stand for. The schemas must already be registered.
 */
public final class TrafficWriter implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroSerializationSchema<Transaction> transactions;
    private final ConfluentAvroSerializationSchema<AccountProfile> accounts;
    private final ConfluentAvroSerializationSchema<Merchant> merchants;
    private final ConfluentAvroSerializationSchema<FxRate> rates;
    private final ConfluentAvroSerializationSchema<FraudRule> rules;
    private final String topicPrefix;
    private volatile Exception failure;

    public TrafficWriter(String bootstrapServers, SchemaRegistryConfig registry) {
        this(bootstrapServers, registry, "");
    }

    /** A writer to the contracts' topics with {@code topicPrefix} before their names (see {@link TributaryTopics}). */
    public TrafficWriter(String bootstrapServers, SchemaRegistryConfig registry, String topicPrefix) {
        this(bootstrapOnly(bootstrapServers), registry, topicPrefix);
    }

    /**
     * A writer with the given client settings ({@code bootstrap.servers} and, for a secured broker,
     * its security settings) to the contracts' topics with {@code topicPrefix} before their names.
     */
    public TrafficWriter(Properties clientProperties, SchemaRegistryConfig registry, String topicPrefix) {
        this.topicPrefix = topicPrefix;
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.transactions = serializer(Transaction.class, TopicContract.TRANSACTIONS, registry);
        this.accounts = serializer(AccountProfile.class, TopicContract.ACCOUNT_PROFILES, registry);
        this.merchants = serializer(Merchant.class, TopicContract.MERCHANTS, registry);
        this.rates = serializer(FxRate.class, TopicContract.FX_RATES, registry);
        this.rules = serializer(FraudRule.class, TopicContract.FRAUD_RULES, registry);
    }

    private static Properties bootstrapOnly(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Writes the reference data: account profiles, merchants, FX rates. */
    public void writeReferenceData(
            Collection<AccountProfile> profiles, Collection<Merchant> merchantList, Collection<FxRate> fxRates) {
        profiles.forEach(p -> send(TopicContract.ACCOUNT_PROFILES, p.getAccountId(), accounts.serialize(p)));
        merchantList.forEach(m -> send(TopicContract.MERCHANTS, m.getMerchantId(), merchants.serialize(m)));
        fxRates.forEach(r -> send(TopicContract.FX_RATES, r.getCurrency(), rates.serialize(r)));
    }

    /** Writes a version of a fraud rule, keyed by its id. */
    public void writeRule(FraudRule rule) {
        send(TopicContract.FRAUD_RULES, rule.getRuleId(), rules.serialize(rule));
    }

    /** Writes a tombstone for an account: the customer asked to be forgotten. */
    public void forgetAccount(String accountId) {
        send(TopicContract.ACCOUNT_PROFILES, accountId, null);
    }

    /** Writes one record of the transaction stream, spoiled as its kind says. */
    public void write(GeneratedTransaction generated) {
        Transaction t = generated.transaction();
        send(TopicContract.TRANSACTIONS, t.getAccountId(), encode(generated.kind(), transactions.serialize(t)));
    }

    /** The bytes a producer of {@code kind} would have sent in place of {@code encoded}. */
    static byte[] encode(TrafficKind kind, byte[] encoded) {
        return switch (kind) {
            case MALFORMED_NOT_AVRO -> "{\"error\":\"a producer sent JSON\"}".getBytes(StandardCharsets.UTF_8);
            case MALFORMED_TRUNCATED -> Arrays.copyOf(encoded, encoded.length / 2);
            case MALFORMED_UNKNOWN_SCHEMA_ID -> {
                byte[] spoiled = encoded.clone();
                ByteBuffer.wrap(spoiled, 1, 4).putInt(Integer.MAX_VALUE - 7);
                yield spoiled;
            }
            case MALFORMED_HUGE_STRING_LENGTH -> HostileRecords.hugeStringLengthAfter(
                    Arrays.copyOf(encoded, ConfluentWireFormat.HEADER_LENGTH));
            default -> encoded;
        };
    }

    /** Waits until everything written so far is acknowledged. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    @Override
    public void close() {
        producer.close();
    }

    private void send(TopicContract contract, String key, byte[] value) {
        throwIfFailed();
        producer.send(new ProducerRecord<>(topicPrefix + contract.topic(), key.getBytes(StandardCharsets.UTF_8), value),
                (metadata, error) -> {
                    if (error != null && failure == null) {
                        failure = error;
                    }
                });
    }

    /** The producer reports errors on its own thread; they surface on the next write or flush. */
    private void throwIfFailed() {
        if (failure != null) {
            throw new IllegalStateException("Writing generated traffic failed: " + failure.getMessage(), failure);
        }
    }

    private static <T extends SpecificRecord> ConfluentAvroSerializationSchema<T> serializer(
            Class<T> type, TopicContract contract, SchemaRegistryConfig registry) {
        return ConfluentAvroSerializationSchema.forSpecific(type).topic(contract).registry(registry).build();
    }
}
