package io.tributary.jobs.enrichment.quality;

import static io.tributary.jobs.enrichment.quality.QualityFixtures.PARAMETERS;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.baseline;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.payment;
import static io.tributary.jobs.enrichment.quality.QualityFixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QualityMeasuresTest {
    private static final int EMAIL = OptionalPaymentField.EMAIL.ordinal();

    @Test
    void volumeIsComparedWithTheMedianWindowSoThatOneOutageInTheBaselineDoesNotMoveIt() {
        QualityMeasures m = QualityMeasures.of(profile(0, 50), baseline(100, 0, 100, 110), PARAMETERS);
        assertThat(m.volumeRatio()).isEqualTo(50 / 100.0);
    }

    @Test
    void nothingIsJudgedBeforeTheBaselineHasItsMinimumOfWindows() {
        QualityMeasures m = QualityMeasures.of(profile(0, 100), baseline(100), PARAMETERS);
        assertThat(m.volumeRatio()).isNaN();
        assertThat(m.amountPsi()).isNaN();
        assertThat(m.currencyPsi()).isNaN();
        assertThat(m.nullRateMax()[EMAIL]).isNaN();
        // The null rate needs no baseline.
        assertThat(m.nullRates()[EMAIL]).isEqualTo(0.25);
    }

    @Test
    void aWindowWithTooFewPaymentsHasItsVolumeJudgedButNotItsDistributions() {
        QualityMeasures m = QualityMeasures.of(profile(0, 9), baseline(100, 100), PARAMETERS);
        assertThat(m.volumeRatio()).isEqualTo(0.09);
        assertThat(m.amountPsi()).isNaN();
        assertThat(m.nullRates()[EMAIL]).isNaN();
    }

    @Test
    void theNullRateBoundIsTheBaselinesRatePlusTheAllowedIncrease() {
        InputProfile.Accumulator noEmails = new InputProfile.Accumulator(QualityFixtures.TOPIC);
        for (int i = 0; i < 100; i++) {
            noEmails.add(payment("10", "EUR", false).value, 7);
        }
        QualityMeasures m = QualityMeasures.of(noEmails.toProfile(0), baseline(100, 100), PARAMETERS);
        assertThat(m.nullRates()[EMAIL]).isEqualTo(1.0);
        assertThat(m.nullRateMax()[EMAIL]).isCloseTo(0.25 + 0.2, within(1e-9));
        assertThat(m.nullRates()[OptionalPaymentField.DEVICE_ID.ordinal()]).isZero();
        assertThat(m.nullRates()[OptionalPaymentField.LOCATION.ordinal()]).isEqualTo(1.0);
    }

    @Test
    void amountsTimesAHundredAndAnotherCurrencyAreDriftsOfBoth() {
        InputProfile.Accumulator drifted = new InputProfile.Accumulator(QualityFixtures.TOPIC);
        for (int i = 0; i < 100; i++) {
            drifted.add(payment("1000", i % 2 == 0 ? "JPY" : "EUR", true).value, 7);
        }
        QualityMeasures m = QualityMeasures.of(drifted.toProfile(0), baseline(100, 100), PARAMETERS);
        assertThat(m.amountPsi()).isGreaterThan(PARAMETERS.maxPsi());
        assertThat(m.currencyPsi()).isGreaterThan(PARAMETERS.maxPsi());

        QualityMeasures same = QualityMeasures.of(profile(0, 100), baseline(100, 100), PARAMETERS);
        assertThat(same.amountPsi()).isCloseTo(0, within(1e-9));
        assertThat(same.currencyPsi()).isCloseTo(0, within(1e-9));
    }
}
