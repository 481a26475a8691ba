package io.tributary.benchmarks.operators;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.common.Origin;
import io.tributary.jobs.enrichment.AccountEvent;
import io.tributary.jobs.enrichment.AccountSnapshot;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * A payment on its way from the enrichment job's sources to its enricher: written to the network
 * buffer and read back, with the dedicated {@code AccountEventSerializer} and with the Flink POJO
 * serializer around Avro's that the job used before it (built the way Flink derived it).
 */
public class ShuffleSerializerBenchmark extends OperatorBenchmark {
    private final DataOutputSerializer out = new DataOutputSerializer(1024);
    private final DataInputDeserializer in = new DataInputDeserializer();
    private TypeSerializer<AccountEvent> dedicated;
    private TypeSerializer<AccountEvent> pojo;
    private AccountEvent payment;

    @Setup
    public void setUp() {
        dedicated = AccountEvent.TYPE.createSerializer(new SerializerConfigImpl());
        pojo = Types.POJO(AccountEvent.class, Map.of("accountId", Types.STRING,
                        "transaction", new AvroTypeInfo<>(MaskedTransaction.class),
                        "origin", Types.POJO(Origin.class), "profile", Types.POJO(AccountSnapshot.class),
                        "forgotten", Types.BOOLEAN))
                .createSerializer(new SerializerConfigImpl());
        PiiMasker masker = PiiMasker.create(TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        Origin origin = new Origin();
        origin.topic = "payments.transactions.v1";
        origin.partition = 3;
        origin.offset = 123_456_789L;
        origin.receivedAt = System.currentTimeMillis();
        payment = AccountEvent.payment(masker.mask(new PaymentEventGenerator(
                new PaymentEventGenerator.Options().malformedRate(0)).next().transaction()), origin);
    }

    @Benchmark
    public AccountEvent dedicated() throws IOException {
        return roundTrip(dedicated);
    }

    @Benchmark
    public AccountEvent pojoAroundAvro() throws IOException {
        return roundTrip(pojo);
    }

    private AccountEvent roundTrip(TypeSerializer<AccountEvent> serializer) throws IOException {
        out.clear();
        serializer.serialize(payment, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return serializer.deserialize(in);
    }
}
