package io.tributary.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.Location;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.PaymentChannel;
import io.tributary.events.RiskLevel;
import io.tributary.events.TransactionStatus;
import io.tributary.jobs.common.Origin;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** What the enrichment job's sources send its enricher: every field arrives as it left. */
class AccountEventSerializerTest {

    /**
     * Every field of the payment set, checked field by field against the schema: a field added to
     * {@code MaskedTransaction} fails here until the test sets it and the serializer writes it.
     */
    @Test
    void everyFieldOfAPaymentArrives() throws Exception {
        MaskedTransaction full = payment(new Location(52.52, 13.405, "Berlin"), "dev-1", "10.0.0.0/24", "mail-1");
        Origin origin = new Origin();
        origin.topic = "payments.transactions.v1";
        origin.partition = 5;
        origin.offset = 1_234_567_890_123L;
        origin.timestamp = -1;
        origin.receivedAt = 1_700_000_000_456L;

        AccountEvent received = roundTrip(AccountEvent.payment(full, origin));

        for (Schema.Field field : MaskedTransaction.SCHEMA$.getFields()) {
            assertThat(full.get(field.pos())).as("the test's full payment sets %s", field.name()).isNotNull();
            assertThat(received.transaction.get(field.pos())).as(field.name()).isEqualTo(full.get(field.pos()));
        }
        assertThat(received.accountId).isEqualTo("acc-1");
        assertThat(received.origin).usingRecursiveComparison().isEqualTo(origin);
        assertThat(received.profile).isNull();
        assertThat(received.forgotten).isFalse();
    }

    @Test
    void optionalFieldsAndAMissingOriginStayMissing() throws Exception {
        MaskedTransaction sparse = payment(null, null, null, null);
        sparse.setAmount(new BigDecimal("-123456789012.3456"));

        AccountEvent received = roundTrip(AccountEvent.payment(sparse, null));

        assertThat(received.transaction).isEqualTo(sparse);
        assertThat(received.origin).isNull();
        MaskedTransaction cityUnknown = payment(new Location(-33.9, 151.2, null), null, null, null);
        assertThat(roundTrip(AccountEvent.payment(cityUnknown, null)).transaction).isEqualTo(cityUnknown);
    }

    @Test
    void profilesAndErasuresArrive() throws Exception {
        AccountSnapshot profile = new AccountSnapshot("acc-2", RiskLevel.HIGH, "FR", 1_700_000_000_000L);
        AccountEvent receivedProfile = roundTrip(AccountEvent.profile(profile));
        assertThat(receivedProfile.profile).isEqualTo(profile);
        assertThat(receivedProfile.accountId).isEqualTo("acc-2");
        assertThat(receivedProfile.transaction).isNull();
        AccountSnapshot sparse = new AccountSnapshot("acc-3", null, null, 0);
        assertThat(roundTrip(AccountEvent.profile(sparse)).profile).isEqualTo(sparse);

        AccountEvent erasure = roundTrip(AccountEvent.forget("acc-4"));
        assertThat(erasure.forgotten).isTrue();
        assertThat(erasure.accountId).isEqualTo("acc-4");
        assertThat(erasure.transaction).isNull();
        assertThat(erasure.profile).isNull();
    }

    @Test
    void aCopySharesNothingMutable() {
        AccountEvent event = AccountEvent.payment(payment(null, null, null, null), new Origin());
        AccountEvent copy = AccountEventSerializer.INSTANCE.copy(event);
        copy.transaction.setCountry("FR");
        copy.origin.offset = 7;
        assertThat(event.transaction.getCountry()).isEqualTo("DE");
        assertThat(event.origin.offset).isZero();
    }

    /** Flink finds the dedicated serializer wherever it derives the type. */
    @Test
    void flinkDerivesTheDedicatedType() {
        assertThat(TypeInformation.of(AccountEvent.class)).isSameAs(AccountEvent.TYPE);
    }

    private static MaskedTransaction payment(Location location, String deviceId, String ipPrefix, String emailToken) {
        return MaskedTransaction.newBuilder()
                .setEventId(UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"))
                .setTransactionId("tx-1").setAccountId("acc-1").setCardToken("tok-1").setCardLast4("0001")
                .setMerchantId("m-1").setAmount(new BigDecimal("12.5000")).setCurrency("EUR")
                .setEventTime(Instant.parse("2026-12-01T10:15:30.123Z")).setStatus(TransactionStatus.DECLINED)
                .setChannel(PaymentChannel.ATM).setCountry("DE").setDeviceId(deviceId).setIpPrefix(ipPrefix)
                .setEmailToken(emailToken).setLocation(location).build();
    }

    private static AccountEvent roundTrip(AccountEvent event) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        AccountEventSerializer.INSTANCE.serialize(event, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        AccountEvent received = AccountEventSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("bytes left unread").isZero();
        return received;
    }
}
