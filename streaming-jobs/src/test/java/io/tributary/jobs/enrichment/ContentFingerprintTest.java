package io.tributary.jobs.enrichment;

import static io.tributary.jobs.enrichment.EnricherHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.Location;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.PaymentChannel;
import io.tributary.events.TransactionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class ContentFingerprintTest {

    /**
     * Fingerprints live in savepoints: a change of the function makes every retry that spans the
     * upgrade a conflict (a dead letter) unless the old kind is still accepted. These pin both kinds.
     */
    @Test
    void theFingerprintOfAKnownRecordNeverChangesAcrossVersions() {
        MaskedTransaction t = online();

        assertThat(ContentFingerprint.of(t)).isEqualTo(PINNED);
        assertThat(ContentFingerprint.legacyOf(t)).isEqualTo(PINNED_LEGACY);
    }

    @Test
    void aRetryHasTheSameFingerprintAndAmountsCompareByValue() {
        MaskedTransaction retry = online();
        retry.setAmount(new BigDecimal("12.5"));

        assertThat(ContentFingerprint.of(retry)).isEqualTo(ContentFingerprint.of(online()));
        assertThat(ContentFingerprint.sameContent(ContentFingerprint.of(online()), ContentFingerprint.of(retry), retry))
                .isTrue();
    }

    @Test
    void everyFieldCountsAndNestedOnesToo() {
        List<Consumer<MaskedTransaction>> changes = List.of(
                t -> t.setEventId(UUID.fromString("00000000-0000-0000-0000-000000000002")),
                t -> t.setTransactionId("tx-2"), t -> t.setAccountId("acc-2"), t -> t.setCardToken("tok-2"),
                t -> t.setCardLast4("0002"), t -> t.setMerchantId("m-2"), t -> t.setAmount(new BigDecimal("12.51")),
                t -> t.setAmount(new BigDecimal("-12.5")), t -> t.setAmount(new BigDecimal("125")),
                t -> t.setCurrency("USD"), t -> t.setEventTime(t.getEventTime().plusMillis(1)),
                t -> t.setStatus(TransactionStatus.DECLINED), t -> t.setChannel(PaymentChannel.POS),
                t -> t.setCountry("FR"), t -> t.setDeviceId("dev-2"), t -> t.setDeviceId(null),
                t -> t.setIpPrefix("10.0.1.0/24"), t -> t.setEmailToken("mail-2"), t -> t.setEmailToken(null),
                t -> t.getLocation().setLatitude(48.0), t -> t.getLocation().setLongitude(2.0),
                t -> t.getLocation().setCity("Lyon"), t -> t.getLocation().setCity(null), t -> t.setLocation(null),
                // Values that moved from one field to the next must not look alike.
                t -> {
                    t.setCardToken("tok-1m-1");
                    t.setMerchantId("");
                });
        Set<Long> seen = new HashSet<>(List.of(ContentFingerprint.of(online())));
        for (int i = 0; i < changes.size(); i++) {
            MaskedTransaction changed = online();
            changes.get(i).accept(changed);
            long fingerprint = ContentFingerprint.of(changed);
            assertThat(seen.add(fingerprint)).as("change %d gives a fingerprint of its own", i).isTrue();
            assertThat(ContentFingerprint.sameContent(ContentFingerprint.of(online()), fingerprint, changed))
                    .as("change %d", i).isFalse();
        }
    }

    @Test
    void aFieldAddedLaterAndNullLeavesTheFingerprintOfAnOlderRecordUnchanged() {
        Schema current = MaskedTransaction.getClassSchema();
        List<Schema.Field> older = current.getFields().stream()
                .filter(f -> !List.of("device_id", "email_token", "location").contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        Schema olderSchema = Schema.createRecord(current.getName(), null, current.getNamespace(), false, older);
        MaskedTransaction t = online();
        t.setDeviceId(null);
        t.setEmailToken(null);
        t.setLocation(null);
        GenericData.Record asWrittenBefore = new GenericData.Record(olderSchema);
        for (Schema.Field f : olderSchema.getFields()) {
            asWrittenBefore.put(f.name(), t.get(f.name()));
        }

        assertThat(ContentFingerprint.of(asWrittenBefore)).isEqualTo(ContentFingerprint.of(t));
    }

    @Test
    void aFingerprintOfTheFormerKindIsTheSameContentAndOnlyForThatContent() {
        MaskedTransaction t = payment("e1", 1_000);
        MaskedTransaction other = payment("e1", 1_000);
        other.setAmount(new BigDecimal("99"));

        assertThat(ContentFingerprint.sameContent(ContentFingerprint.legacyOf(t), ContentFingerprint.of(t), t)).isTrue();
        assertThat(ContentFingerprint.sameContent(ContentFingerprint.legacyOf(t), ContentFingerprint.of(other), other))
                .isFalse();
    }

    private static final long PINNED = -7649870963780838681L;
    private static final long PINNED_LEGACY = 2483140249495702113L;

    private static MaskedTransaction online() {
        return MaskedTransaction.newBuilder()
                .setEventId(UUID.fromString("00000000-0000-0000-0000-000000000001"))
                .setTransactionId("tx-1").setAccountId("acc-1").setCardToken("tok-1").setCardLast4("0001")
                .setMerchantId("m-1").setAmount(new BigDecimal("12.5000")).setCurrency("EUR")
                .setEventTime(Instant.parse("2026-12-01T10:15:30.123Z")).setStatus(TransactionStatus.AUTHORIZED)
                .setChannel(PaymentChannel.ECOMMERCE).setCountry("DE").setDeviceId("dev-1").setIpPrefix("10.0.0.0/24")
                .setEmailToken("mail-1").setLocation(new Location(52.52, 13.405, "Berlin")).build();
    }
}
