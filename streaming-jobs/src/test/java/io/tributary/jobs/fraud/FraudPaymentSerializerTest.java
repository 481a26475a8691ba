package io.tributary.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The dedicated serializers of fraud-detection's reorder buffer and of what its stages exchange. */
class FraudPaymentSerializerTest {
    private static final FraudPayment FULL = new FraudPayment(UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
            "tx-1", "acc-1", "card-1", 1_700_000_000_123L, 12.5, "DE", "device-1", 52.52, 13.405);
    private static final FraudPayment SPARSE = new FraudPayment(UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
            "tx-2", "acc-1", "card-1", 0, null, "FR", null, null, null);

    @Test
    void everyFieldRoundTripsWithAndWithoutTheOptionalOnes() throws Exception {
        assertThat(roundTrip(FraudPaymentSerializer.INSTANCE, FULL)).isEqualTo(FULL);
        assertThat(roundTrip(FraudPaymentSerializer.INSTANCE, SPARSE)).isEqualTo(SPARSE);
        // Only a latitude: each optional number has its own flag.
        FraudPayment latitudeOnly = new FraudPayment(FULL.eventId(), "tx-3", "acc-1", "card-1", 5, 1.0, "DE", "d",
                10.0, null);
        assertThat(roundTrip(FraudPaymentSerializer.INSTANCE, latitudeOnly)).isEqualTo(latitudeOnly);
    }

    /** The layout is what savepoints hold: a change must come with a new snapshot version, not silently. */
    @Test
    void theLayoutInStateIsPinned() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        FraudPaymentSerializer.INSTANCE.serialize(SPARSE, out);
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer()))
                // event id; texts as length + 1 and UTF-8 ("tx-2", "acc-1", "card-1"); event time;
                // "FR"; no device (0); no optional number (flags 0)
                .isEqualTo("7c9e6679742540de944be07fc1f90ae7" + "0574782d32" + "066163632d31" + "07636172642d31"
                        + "0000000000000000" + "034652" + "00" + "00");
    }

    @Test
    void aRestoredSnapshotIsCompatibleAsIs() throws Exception {
        TypeSerializerSnapshot<FraudPayment> snapshot = FraudPaymentSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<FraudPayment> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(FraudPaymentSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isEqualTo(FraudPaymentSerializer.INSTANCE);
    }

    @Test
    void scoredPaymentsAndErasureMarkersRoundTrip() throws Exception {
        double[] features = new double[Feature.Entity.ACCOUNT.features().size()];
        features[Feature.ACCOUNT_COUNT_24H.index()] = 3;
        ScoredPayment scored = roundTrip(ScoredPaymentSerializer.INSTANCE, new ScoredPayment(FULL, features, true));
        assertThat(scored.payment).isEqualTo(FULL);
        assertThat(scored.accountFeatures).containsExactly(features);
        assertThat(scored.newDevice).isTrue();
        assertThat(scored.isErasure()).isFalse();

        ScoredPayment marker = roundTrip(ScoredPaymentSerializer.INSTANCE, ScoredPayment.erasure("card-9"));
        assertThat(marker.isErasure()).isTrue();
        assertThat(marker.cardToken()).isEqualTo("card-9");
    }

    /** Flink finds the dedicated serializers wherever it derives a type, e.g. {@code TypeInformation.of}. */
    @Test
    void flinkDerivesTheDedicatedTypes() {
        assertThat(TypeInformation.of(FraudPayment.class)).isSameAs(FraudPayment.TYPE);
        assertThat(TypeInformation.of(ScoredPayment.class)).isSameAs(ScoredPayment.TYPE);
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
