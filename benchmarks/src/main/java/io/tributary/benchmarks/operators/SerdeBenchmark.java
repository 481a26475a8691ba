package io.tributary.benchmarks.operators;

import io.tributary.contracts.TopicContract;
import io.tributary.events.Transaction;
import io.tributary.localstack.LocalServers;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import io.tributary.serde.ConfluentAvroDeserializationSchema;
import io.tributary.serde.ConfluentAvroSerializationSchema;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Confluent-framed Avro encode and decode of a payment event, with the schema id already cached:
 * the per-record cost of the serdes (a real registry answers the first lookup only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SerdeBenchmark {
    private ConfluentAvroSerializationSchema<Transaction> serializer;
    private ConfluentAvroDeserializationSchema<Transaction> deserializer;
    private Transaction transaction;
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

    @Benchmark
    public Transaction decode() throws Exception {
        return deserializer.deserialize(encoded);
    }
}
