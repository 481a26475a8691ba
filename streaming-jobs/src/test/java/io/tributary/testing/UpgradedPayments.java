package io.tributary.testing;

import io.tributary.events.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A producer's next payment schema, one optional {@code loyalty_tier} more, and payments written with
 * it: what the jobs see when a producer upgrades before the registry or the jobs know the new id.
 */
public final class UpgradedPayments {
    /** The payment schema with {@code loyalty_tier} added, as a producer's next version. */
    public static final Schema SCHEMA = withLoyaltyTier(Transaction.getClassSchema());

    private UpgradedPayments() {}

    /** {@code t} written with {@link #SCHEMA} and {@code tier}, Confluent-framed with {@code id}. */
    public static byte[] framed(int id, Transaction t, String tier) throws IOException {
        GenericData.Record record = new GenericData.Record(SCHEMA);
        Transaction.getClassSchema().getFields().forEach(f -> record.put(f.name(), t.get(f.pos())));
        record.put("loyalty_tier", tier);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SCHEMA, SpecificData.getForClass(Transaction.class)).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema withLoyaltyTier(Schema current) {
        List<Schema.Field> fields = new ArrayList<>();
        current.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("loyalty_tier", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "The customer's loyalty tier.", Schema.Field.NULL_DEFAULT_VALUE));
        Schema next = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        current.getObjectProps().forEach(next::addProp);
        return next;
    }
}
