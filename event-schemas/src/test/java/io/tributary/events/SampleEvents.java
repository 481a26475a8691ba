package io.tributary.events;

import io.tributary.contracts.TopicContract;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** One valid record of every topic, with every optional field set, for round-trip tests. */
public final class SampleEvents {
    private static final Instant TIME = Instant.parse("2026-11-27T10:15:30.123Z");
    private static final UUID EVENT_ID = UUID.fromString("3f1c8a52-9b7e-4d8e-a1f0-2c6b5d4e3a21");

    private SampleEvents() {}

    public static SpecificRecord of(TopicContract contract) {
        return switch (contract) {
            case TRANSACTIONS -> transaction();
            case ACCOUNT_PROFILES -> AccountProfile.newBuilder().setAccountId("acc-42").setCustomerName("Ada Example")
                    .setEmail("ada@example.org").setRiskTier(RiskLevel.MEDIUM).setHomeCountry("DE")
                    .setOpenedAt(Instant.parse("2019-03-01T00:00:00Z")).setUpdatedAt(TIME).build();
            case MERCHANTS -> Merchant.newBuilder().setMerchantId("m-7").setName("Corner Grocer").setCategoryCode("5411")
                    .setCountry("DE").setRiskLevel(RiskLevel.LOW).setUpdatedAt(TIME).build();
            case FX_RATES -> FxRate.newBuilder().setCurrency("EUR").setRateToUsd(new BigDecimal("1.0812345678"))
                    .setValidFrom(TIME).setSource("ECB").build();
            case FRAUD_RULES -> FraudRule.newBuilder().setRuleId("velocity-card-1m").setVersion(3).setEnabled(true)
                    .setType(RuleType.VELOCITY).setSeverity(Severity.HIGH).setEffectiveFrom(TIME)
                    .setDescription("5 payments of a card within a minute").setMinCount(5).setWindowSeconds(60L)
                    .build();
            case ENRICHED_TRANSACTIONS -> EnrichedTransaction.newBuilder().setEventId(EVENT_ID).setTransactionId("tx-1")
                    .setAccountId("acc-42").setCardToken("q2mVtYb1oXb2Kx3XK0m9nQ").setCardLast4("4242")
                    .setMerchantId("m-7").setAmount(new BigDecimal("12.5000")).setCurrency("EUR")
                    .setAmountUsd(new BigDecimal("13.5154")).setFxRateToUsd(new BigDecimal("1.0812345678"))
                    .setFxRateValidFrom(TIME.minusSeconds(3600)).setFxRateKnown(true).setEventTime(TIME)
                    .setStatus(TransactionStatus.AUTHORIZED).setChannel(PaymentChannel.ECOMMERCE).setCountry("DE")
                    .setDeviceId("dev-1").setIpPrefix("203.0.113.0/24").setEmailToken("Zm9vYmFy").setLatitude(52.52)
                    .setLongitude(13.405).setCity("Berlin").setAccountKnown(true).setAccountRiskTier(RiskLevel.MEDIUM)
                    .setAccountHomeCountry("DE").setMerchantKnown(true).setMerchantName("Corner Grocer")
                    .setMerchantCategoryCode("5411").setMerchantCountry("DE").setMerchantRiskLevel(RiskLevel.LOW)
                    .build();
            case DEAD_LETTERS -> DeadLetter.newBuilder().setSourceTopic("payments.transactions.v1").setSourcePartition(2)
                    .setSourceOffset(1234L).setSourceTimestamp(TIME)
                    .setOriginalKey(ByteBuffer.wrap("acc-42".getBytes(StandardCharsets.UTF_8)))
                    .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3})).setReason("DECODE_WRONG_MAGIC_BYTE")
                    .setReasonDetail("first byte is 0x01").setSchemaId(null).setJob("transactions-enrichment")
                    .setFailedAt(TIME).build();
            case LATE_TRANSACTIONS -> LateTransaction.newBuilder().setTransaction(maskedTransaction())
                    .setWatermark(TIME.plusSeconds(600)).setAllowedLatenessMs(60_000L).setJob("transactions-enrichment")
                    .build();
            case FRAUD_ALERTS -> FraudAlert.newBuilder()
                    .setAlertId(UUID.nameUUIDFromBytes("velocity-card-1m/3/tx-1".getBytes(StandardCharsets.UTF_8)))
                    .setRuleId("velocity-card-1m").setRuleVersion(3).setRuleType(RuleType.VELOCITY)
                    .setSeverity(Severity.HIGH).setTransactionId("tx-1").setEventId(EVENT_ID).setAccountId("acc-42")
                    .setCardToken("q2mVtYb1oXb2Kx3XK0m9nQ").setEventTime(TIME).setDetectedAt(TIME.plusMillis(850))
                    .setEvidence(List.of(Evidence.newBuilder().setName("card.count_1m").setValue(6).setLimit(5.0)
                            .setDetail(null).build()))
                    .build();
            case ERASURE_REQUESTS -> ErasureRequest.newBuilder().setRequestId(EVENT_ID).setAccountId("acc-42")
                    .setRequestedAt(TIME).setRequestedBy("ticket DPO-17").build();
        };
    }

    public static Transaction transaction() {
        return Transaction.newBuilder().setEventId(EVENT_ID).setTransactionId("tx-1").setAccountId("acc-42")
                .setCardNumber("4111111111114242").setMerchantId("m-7").setAmount(new BigDecimal("12.5000"))
                .setCurrency("EUR").setEventTime(TIME).setStatus(TransactionStatus.AUTHORIZED)
                .setChannel(PaymentChannel.ECOMMERCE).setCountry("DE").setDeviceId("dev-1").setIpAddress("203.0.113.7")
                .setEmail("ada@example.org")
                .setLocation(Location.newBuilder().setLatitude(52.52).setLongitude(13.405).setCity("Berlin").build())
                .build();
    }

    private static MaskedTransaction maskedTransaction() {
        return MaskedTransaction.newBuilder().setEventId(EVENT_ID).setTransactionId("tx-1").setAccountId("acc-42")
                .setCardToken("q2mVtYb1oXb2Kx3XK0m9nQ").setCardLast4("4242").setMerchantId("m-7")
                .setAmount(new BigDecimal("12.5000")).setCurrency("EUR").setEventTime(TIME)
                .setStatus(TransactionStatus.DECLINED).setChannel(PaymentChannel.POS).setCountry("FR")
                .setDeviceId(null).setIpPrefix(null).setEmailToken(null).setLocation(null).build();
    }
}
