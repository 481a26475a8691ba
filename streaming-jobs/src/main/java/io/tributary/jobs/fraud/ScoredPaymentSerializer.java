package io.tributary.jobs.fraud;

import io.tributary.jobs.common.internal.FieldByFieldSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link ScoredPayment} between fraud-detection's two stages: a flag for an erasure marker
 * (then only its card token), else the payment ({@link FraudPaymentSerializer}), the account's
 * features and the new-device flag.
 */
public final class ScoredPaymentSerializer extends FieldByFieldSerializer<ScoredPayment> {
    private static final long serialVersionUID = 1L;
    public static final ScoredPaymentSerializer INSTANCE = new ScoredPaymentSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ScoredPayment createInstance() {
        return new ScoredPayment();
    }

    @Override
    public ScoredPayment copy(ScoredPayment from) {
        ScoredPayment copy = new ScoredPayment(from.payment,
                from.accountFeatures == null ? null : from.accountFeatures.clone(), from.newDevice);
        copy.erasedCard = from.erasedCard;
        return copy;
    }

    @Override
    public void serialize(ScoredPayment scored, DataOutputView out) throws IOException {
        out.writeBoolean(scored.isErasure());
        if (scored.isErasure()) {
            StringValue.writeString(scored.erasedCard, out);
            return;
        }
        FraudPaymentSerializer.INSTANCE.serialize(scored.payment, out);
        out.writeInt(scored.accountFeatures.length);
        for (double value : scored.accountFeatures) {
            out.writeDouble(value);
        }
        out.writeBoolean(scored.newDevice);
    }

    @Override
    public ScoredPayment deserialize(DataInputView in) throws IOException {
        if (in.readBoolean()) {
            return ScoredPayment.erasure(StringValue.readString(in));
        }
        FraudPayment payment = FraudPaymentSerializer.INSTANCE.deserialize(in);
        double[] features = new double[in.readInt()];
        for (int i = 0; i < features.length; i++) {
            features[i] = in.readDouble();
        }
        return new ScoredPayment(payment, features, in.readBoolean());
    }

    @Override
    public TypeSerializerSnapshot<ScoredPayment> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Names this serializer (a scored payment is not kept in keyed state; it only travels). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ScoredPayment> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
