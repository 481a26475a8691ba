package io.tributary.jobs.fraud;

import io.tributary.events.EnrichedTransaction;
import io.tributary.jobs.common.internal.SerializerTypeInformation;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What fraud-detection uses of an enriched payment: the ten of its 30 fields that the features, the
 * rules and the alerts read. The account stage keeps it in its reorder buffer and sends it to the
 * card stage instead of the whole record, written by {@link FraudPaymentSerializer}: as Avro, with
 * its logical-type conversions, the record took about half of the account stage's time and a fifth
 * of the card stage's (profile in benchmarks/README, "What each change bought").
 *
 * @param amountUsd the amount in US dollars, or null when no FX rate was known
 * @param deviceId null when unknown
 * @param latitude null when unknown, like {@code longitude}
 */
@TypeInfo(FraudPayment.TypeFactory.class)
public record FraudPayment(UUID eventId, String transactionId, String accountId, String cardToken, long eventTime,
        Double amountUsd, String country, String deviceId, Double latitude, Double longitude) {

    public static final TypeInformation<FraudPayment> TYPE =
            new SerializerTypeInformation<>(FraudPayment.class, FraudPaymentSerializer.INSTANCE);

    /** The fields of {@code payment} that fraud-detection reads. */
    public static FraudPayment of(EnrichedTransaction payment) {
        BigDecimal usd = payment.getAmountUsd();
        return new FraudPayment(payment.getEventId(), payment.getTransactionId(), payment.getAccountId(),
                payment.getCardToken(), payment.getEventTime().toEpochMilli(), usd == null ? null : usd.doubleValue(),
                payment.getCountry(), payment.getDeviceId(), payment.getLatitude(), payment.getLongitude());
    }

    /** So that {@code TypeInformation.of(FraudPayment.class)} is {@link #TYPE} too. */
    public static final class TypeFactory extends TypeInfoFactory<FraudPayment> {
        @Override
        public TypeInformation<FraudPayment> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return TYPE;
        }
    }
}
