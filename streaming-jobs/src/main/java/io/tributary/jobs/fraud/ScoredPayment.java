package io.tributary.jobs.fraud;

import io.tributary.jobs.common.internal.SerializerTypeInformation;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What the account stage sends to the card stage: a payment with what the account stage found (the
 * account's features as of the payment, indexed as {@link Feature.Entity#ACCOUNT}'s features, and
 * whether its device is new to the account), or an erasure marker for one card of an account that
 * asked to be forgotten ({@code payment} null, {@code erasedCard} its token). It only travels between
 * the two stages, never in state, written by {@link ScoredPaymentSerializer}.
 */
@TypeInfo(ScoredPayment.TypeFactory.class)
public class ScoredPayment {
    public static final TypeInformation<ScoredPayment> TYPE =
            new SerializerTypeInformation<>(ScoredPayment.class, ScoredPaymentSerializer.INSTANCE);

    public FraudPayment payment;
    public double[] accountFeatures;
    public boolean newDevice;
    /** Set on an erasure marker alone: the card token whose state the card stage must clear. */
    public String erasedCard;

    public ScoredPayment() {}

    public ScoredPayment(FraudPayment payment, double[] accountFeatures, boolean newDevice) {
        this.payment = payment;
        this.accountFeatures = accountFeatures;
        this.newDevice = newDevice;
    }

    /** The marker that tells the card stage to forget the card {@code cardToken}. */
    public static ScoredPayment erasure(String cardToken) {
        ScoredPayment marker = new ScoredPayment();
        marker.erasedCard = cardToken;
        return marker;
    }

    public boolean isErasure() {
        return payment == null;
    }

    /** The key of the card stage: the payment's card token, or the erased card's. */
    public String cardToken() {
        return payment == null ? erasedCard : payment.cardToken();
    }

    /** So that {@code TypeInformation.of(ScoredPayment.class)} is {@link #TYPE} too. */
    public static final class TypeFactory extends TypeInfoFactory<ScoredPayment> {
        @Override
        public TypeInformation<ScoredPayment> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return TYPE;
        }
    }
}
