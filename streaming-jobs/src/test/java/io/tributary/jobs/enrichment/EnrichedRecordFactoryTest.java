package io.tributary.jobs.enrichment;

import static io.tributary.jobs.enrichment.EnricherHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.EnrichedTransaction;
import io.tributary.events.FxRate;
import io.tributary.events.Location;
import io.tributary.events.MaskedTransaction;
import io.tributary.events.Merchant;
import io.tributary.events.RiskLevel;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class EnrichedRecordFactoryTest {
    private static final AccountSnapshot ACCOUNT = new AccountSnapshot("acc-1", RiskLevel.HIGH, "FR", 0);
    private static final Merchant MERCHANT = Merchant.newBuilder().setMerchantId("m-1").setName("Shop")
            .setCategoryCode("5411").setCountry("DE").setRiskLevel(RiskLevel.LOW).setUpdatedAt(Instant.EPOCH).build();
    private static final FxRate EUR = FxRate.newBuilder().setCurrency("EUR")
            .setRateToUsd(new BigDecimal("1.0823456789")).setValidFrom(Instant.ofEpochSecond(100)).setSource("ecb")
            .build();

    @Test
    void aFullyKnownPaymentFillsEveryFieldOfTheContract() {
        MaskedTransaction t = withLocation(payment("e-1", 1_000));
        EnrichedTransaction e = EnrichedRecordFactory.of(t, ACCOUNT, MERCHANT, EUR);

        // A field the schema gains and this function does not fill shows up here.
        for (Schema.Field field : EnrichedTransaction.getClassSchema().getFields()) {
            assertThat(e.get(field.pos())).as(field.name()).isNotNull();
        }
        assertThat(e.getAmountUsd()).isEqualByComparingTo("10.8235");
        assertThat(e.getAmountUsd().scale()).isEqualTo(EnrichedRecordFactory.USD_SCALE);
        assertThat(e.getFxRateToUsd()).isEqualTo(EUR.getRateToUsd());
        assertThat(e.getFxRateValidFrom()).isEqualTo(EUR.getValidFrom());
        assertThat(e.getCity()).isEqualTo("Berlin");
        assertThat(e.getAccountRiskTier()).isEqualTo(RiskLevel.HIGH);
        assertThat(e.getAccountHomeCountry()).isEqualTo("FR");
        assertThat(e.getMerchantName()).isEqualTo("Shop");
        assertThat(e.getMerchantRiskLevel()).isEqualTo(RiskLevel.LOW);
        assertThat(e.getEventId()).isEqualTo(t.getEventId());
        assertThat(e.getCardToken()).isEqualTo(t.getCardToken());
    }

    @Test
    void whatIsUnknownIsFlaggedAndLeftEmpty() {
        EnrichedTransaction e = EnrichedRecordFactory.of(payment("e-2", 1_000), null, null, null);

        assertThat(e.getAccountKnown()).isFalse();
        assertThat(e.getMerchantKnown()).isFalse();
        assertThat(e.getFxRateKnown()).isFalse();
        assertThat(e.getAmountUsd()).isNull();
        assertThat(e.getFxRateToUsd()).isNull();
        assertThat(e.getAccountRiskTier()).isNull();
        assertThat(e.getMerchantName()).isNull();
        assertThat(e.getCity()).isNull();
    }

    @Test
    void dollarsNeedNoRate() {
        EnrichedTransaction e = EnrichedRecordFactory.of(payment("e-3", 1_000, "USD", "m-1"), ACCOUNT, MERCHANT, null);

        assertThat(e.getFxRateKnown()).isTrue();
        assertThat(e.getFxRateToUsd()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(e.getFxRateValidFrom()).isNull();
        assertThat(e.getAmountUsd()).isEqualByComparingTo("10.0000");
    }

    private static MaskedTransaction withLocation(MaskedTransaction t) {
        t.setDeviceId("device-1");
        t.setIpPrefix("10.1.2.0/24");
        t.setEmailToken("email-token");
        t.setLocation(Location.newBuilder().setLatitude(52.52).setLongitude(13.4).setCity("Berlin").build());
        return t;
    }
}
