package io.tributary.benchmarks.operators;

import io.tributary.contracts.TopicContract;
import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.Merchant;
import io.tributary.events.RiskLevel;
import io.tributary.events.Transaction;
import io.tributary.jobs.enrichment.AccountSnapshot;
import io.tributary.jobs.enrichment.EnrichedRecordFactory;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import io.tributary.serde.internal.ConfluentSchemaCoder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Confluent-framed Avro encode and decode of a payment event, with the schema id already cached:
 * the per-record cost of the serdes (a real registry answers the first lookup only).
 */
public class SerdeBenchmark extends OperatorBenchmark {
    private ConfluentAvroSerializationSchema<Transaction> serializer;
    private ConfluentAvroDeserializationSchema<Transaction> deserializer;
    private ConfluentAvroSerializationSchema<EnrichedTransaction> enrichedSerializer;
    private RegistryAvroSerializationSchema<EnrichedTransaction> flinkAvroEnrichedSerializer;
    private Transaction transaction;
    private EnrichedTransaction enriched;
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SchemaRegistryConfig registry = SchemaRegistryConfig.builder(LocalServers.schemaRegistry().url()).build();
        SchemaRegistryClient.create(registry).register(TopicContract.TRANSACTIONS.subject(),
                TopicContract.TRANSACTIONS.valueSchema());
        serializer = ConfluentAvroSerializationSchema.forSpecific(Transaction.class).topic(TopicContract.TRANSACTIONS)
                .registry(registry).build();
        deserializer = ConfluentAvroDeserializationSchema.forSpecific(Transaction.class).registry(registry).build();
        transaction = new PaymentEventGenerator(new PaymentEventGenerator.Options().malformedRate(0)).next().transaction();
        encoded = serializer.serialize(transaction);
        SchemaRegistryClient.create(registry).register(TopicContract.ENRICHED_TRANSACTIONS.subject(),
                TopicContract.ENRICHED_TRANSACTIONS.valueSchema());
        enrichedSerializer = ConfluentAvroSerializationSchema.forSpecific(EnrichedTransaction.class)
                .topic(TopicContract.ENRICHED_TRANSACTIONS).registry(registry).build();
        PiiMasker masker = PiiMasker.create(TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        enriched = EnrichedRecordFactory.of(masker.mask(transaction),
                new AccountSnapshot(transaction.getAccountId(), RiskLevel.MEDIUM, "DE", 0L),
                Merchant.newBuilder().setMerchantId(transaction.getMerchantId()).setName("Corner Shop")
                        .setCategoryCode("5411").setCountry("DE").setRiskLevel(RiskLevel.LOW)
                        .setUpdatedAt(Instant.EPOCH).build(),
                FxRate.newBuilder().setCurrency(transaction.getCurrency()).setRateToUsd(new BigDecimal("1.0823456789"))
                        .setValidFrom(Instant.EPOCH).setSource("ecb").build());
        enrichedSerializer.serialize(enriched);
        flinkAvroEnrichedSerializer = new RegistryAvroSerializationSchema<>(EnrichedTransaction.class, null,
                new ConfluentSchemaCoder.Provider(registry, TopicContract.ENRICHED_TRANSACTIONS.subject(), false));
        flinkAvroEnrichedSerializer.serialize(enriched);
        deserializer.deserialize(encoded);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        LocalServers.closeAll();
    }

    @Benchmark
    public byte[] encode() {
        return serializer.serialize(transaction);
    }

    /** The enrichment job's main output: thirty fields, a third of them optional. */
    @Benchmark
    public byte[] encodeEnriched() {
        return enrichedSerializer.serialize(enriched);
    }

    /**
     * The same with flink-avro's writer, which the project used before its own (a synchronized
     * stream under every field): the reference for what the reused buffer saves.
     */
    @Benchmark
    public byte[] encodeEnrichedWithFlinkAvro() {
        return flinkAvroEnrichedSerializer.serialize(enriched);
    }

    @Benchmark
    public Transaction decode() throws Exception {
        return deserializer.deserialize(encoded);
    }
}
