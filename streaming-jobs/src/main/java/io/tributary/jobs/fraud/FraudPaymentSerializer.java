package io.tributary.jobs.fraud;

import io.tributary.jobs.common.internal.FieldByFieldSerializer;
import java.io.IOException;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link FraudPayment} field by field: the event id as two longs, texts as Flink writes
 * strings, a byte saying which of the optional numbers follow. It is kept in state (the account
 * stage's reorder buffer), so this layout is what {@link Snapshot} names; a change of it needs a new
 * snapshot version that reads the old one.
 */
public final class FraudPaymentSerializer extends FieldByFieldSerializer<FraudPayment> {
    private static final long serialVersionUID = 1L;
    public static final FraudPaymentSerializer INSTANCE = new FraudPaymentSerializer();

    private static final int HAS_AMOUNT = 1;
    private static final int HAS_LATITUDE = 2;
    private static final int HAS_LONGITUDE = 4;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public FraudPayment createInstance() {
        return null;
    }

    @Override
    public FraudPayment copy(FraudPayment from) {
        return from;
    }

    @Override
    public void serialize(FraudPayment p, DataOutputView out) throws IOException {
        out.writeLong(p.eventId().getMostSignificantBits());
        out.writeLong(p.eventId().getLeastSignificantBits());
        StringValue.writeString(p.transactionId(), out);
        StringValue.writeString(p.accountId(), out);
        StringValue.writeString(p.cardToken(), out);
        out.writeLong(p.eventTime());
        StringValue.writeString(p.country(), out);
        StringValue.writeString(p.deviceId(), out);
        out.writeByte((p.amountUsd() == null ? 0 : HAS_AMOUNT) | (p.latitude() == null ? 0 : HAS_LATITUDE)
                | (p.longitude() == null ? 0 : HAS_LONGITUDE));
        if (p.amountUsd() != null) {
            out.writeDouble(p.amountUsd());
        }
        if (p.latitude() != null) {
            out.writeDouble(p.latitude());
        }
        if (p.longitude() != null) {
            out.writeDouble(p.longitude());
        }
    }

    @Override
    public FraudPayment deserialize(DataInputView in) throws IOException {
        UUID eventId = new UUID(in.readLong(), in.readLong());
        String transactionId = StringValue.readString(in);
        String accountId = StringValue.readString(in);
        String cardToken = StringValue.readString(in);
        long eventTime = in.readLong();
        String country = StringValue.readString(in);
        String deviceId = StringValue.readString(in);
        int present = in.readByte();
        Double amountUsd = (present & HAS_AMOUNT) == 0 ? null : in.readDouble();
        Double latitude = (present & HAS_LATITUDE) == 0 ? null : in.readDouble();
        Double longitude = (present & HAS_LONGITUDE) == 0 ? null : in.readDouble();
        return new FraudPayment(eventId, transactionId, accountId, cardToken, eventTime, amountUsd, country, deviceId,
                latitude, longitude);
    }

    @Override
    public TypeSerializerSnapshot<FraudPayment> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Names this serializer in checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FraudPayment> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
