package io.tributary.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.contracts.TopicContract;
import io.tributary.events.SampleEvents;
import io.tributary.events.Transaction;
import io.tributary.localstack.SchemaRegistryServer;
import io.tributary.localstack.junit.LocalServersExtension;
import io.tributary.registry.SchemaRegistryClient;
import io.tributary.registry.SchemaRegistryConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of bad bytes gives one typed exception with its reason, and never spoils the next record. */
@ExtendWith(LocalServersExtension.class)
class ConfluentAvroDeserializationSchemaIT {
    private static SchemaRegistryConfig config;
    private static byte[] good;
    private static int transactionId;

    @BeforeAll
    static void registerAndEncode(SchemaRegistryServer registry) throws Exception {
        config = SchemaRegistryConfig.builder(registry.url()).build();
        transactionId = SchemaRegistryClient.create(config)
                .register(TopicContract.TRANSACTIONS.subject(), TopicContract.TRANSACTIONS.valueSchema());
        good = ConfluentAvroSerializationSchema.forSpecific(Transaction.class).topic(TopicContract.TRANSACTIONS)
                .registry(config).build().serialize(SampleEvents.transaction());
    }

    private static ConfluentAvroDeserializationSchema<Transaction> deserializer() {
        return ConfluentAvroDeserializationSchema.forSpecific(Transaction.class).registry(config).build();
    }

    private static void assertFailure(byte[] bytes, DecodingFailure failure) {
        assertThatThrownBy(() -> deserializer().deserialize(bytes))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.failure()).isEqualTo(failure))
                .hasMessageStartingWith(failure.reasonCode());
    }

    @Test
    void decodesAGoodRecordAndPassesTombstonesThrough() throws Exception {
        assertThat(deserializer().deserialize(good)).isEqualTo(SampleEvents.transaction());
        assertThat(deserializer().deserialize(null)).isNull();
    }

    @Test
    void rejectsAWrongMagicByte() {
        byte[] bytes = good.clone();
        bytes[0] = 1;
        assertFailure(bytes, DecodingFailure.WRONG_MAGIC_BYTE);
        assertFailure("{\"event_id\": \"plain JSON\"}".getBytes(), DecodingFailure.WRONG_MAGIC_BYTE);
    }

    @Test
    void rejectsTruncatedHeadersAndBodies() {
        assertFailure(new byte[0], DecodingFailure.TRUNCATED);
        assertFailure(new byte[] {0, 0, 0}, DecodingFailure.TRUNCATED);
        assertFailure(Arrays.copyOf(good, 5), DecodingFailure.TRUNCATED);
        assertFailure(Arrays.copyOf(good, good.length - 3), DecodingFailure.TRUNCATED);
    }

    /**
     * A poison pill: a real schema id, then a first field (a string) declaring 2 GB in a 15-byte
     * record. Avro allocates the declared length before reading; without a bound the decoder throws
     * OutOfMemoryError, which no dead-letter path catches, and the job restarts on it forever.
     */
    @Test
    void aLengthTheRecordCannotHoldIsTruncatedNotAnOutOfMemoryError() throws Exception {
        ByteArrayOutputStream pill = new ByteArrayOutputStream();
        pill.write(0);
        pill.write(ByteBuffer.allocate(4).putInt(transactionId).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(pill, null);
        encoder.writeLong(2_000_000_000L);
        encoder.writeFixed(new byte[5]);
        encoder.flush();

        assertFailure(pill.toByteArray(), DecodingFailure.TRUNCATED);
        // The deserializer goes on with the next record as if nothing happened.
        ConfluentAvroDeserializationSchema<Transaction> deserializer = deserializer();
        assertThatThrownBy(() -> deserializer.deserialize(pill.toByteArray())).isInstanceOf(EventDecodingException.class);
        assertThat(deserializer.deserialize(good)).isEqualTo(SampleEvents.transaction());
    }

    @Test
    void rejectsAnIdTheRegistryDoesNotKnow() {
        byte[] bytes = good.clone();
        ByteBuffer.wrap(bytes, 1, 4).putInt(transactionId + 900_000);
        assertThatThrownBy(() -> deserializer().deserialize(bytes))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                    assertThat(e.failure()).isEqualTo(DecodingFailure.UNKNOWN_SCHEMA_ID);
                    assertThat(e.schemaId()).isEqualTo(transactionId + 900_000);
                });
    }

    @Test
    void rejectsAvroThatDoesNotDecode() {
        byte[] bytes = good.clone();
        // The event_id is the first field: a string whose zig-zag length byte now says -40.
        bytes[5] = 0x4f;
        assertFailure(bytes, DecodingFailure.UNDECODABLE_AVRO);
    }

    @Test
    void rejectsBytesLeftOverAfterTheRecord() {
        byte[] bytes = Arrays.copyOf(good, good.length + 2);
        assertFailure(bytes, DecodingFailure.TRAILING_BYTES);
    }

    @Test
    void rejectsAWriterSchemaTheReaderCannotResolve() throws Exception {
        Schema unrelated = new Schema.Parser().parse("""
                {"type": "record", "name": "Transaction", "namespace": "io.tributary.events",
                 "fields": [{"name": "something_else", "type": "int"}]}""");
        GenericRecord record = new GenericData.Record(unrelated);
        record.put("something_else", 7);
        byte[] bytes = ConfluentAvroSerializationSchema.forGeneric(unrelated).subject("unrelated-value")
                .registry(config).registerSchemas(true).build().serialize(record);

        assertFailure(bytes, DecodingFailure.INCOMPATIBLE_WRITER_SCHEMA);
    }

    @Test
    void aBadRecordNeverSpoilsTheNextGoodOne() throws Exception {
        var deserializer = deserializer();
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        trailing[good.length] = 4;
        byte[] broken = good.clone();
        broken[5] = 0x4f;

        for (byte[] bad : new byte[][] {trailing, broken, Arrays.copyOf(good, good.length - 1)}) {
            assertThatThrownBy(() -> deserializer.deserialize(bad)).isInstanceOf(EventDecodingException.class);
            assertThat(deserializer.deserialize(good)).isEqualTo(SampleEvents.transaction());
        }
    }

    @Test
    void failureMessagesNeverQuoteTheRecord() {
        byte[] bytes = Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> deserializer().deserialize(bytes))
                .hasMessageNotContaining("4111111111114242")
                .hasMessageNotContaining("ada@example.org")
                .hasNoCause();
    }
}
