package io.tributary.jobs.enrichment.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PopulationStabilityTest {

    @Test
    void theSameShareInEveryBinIsNoShift() {
        assertThat(PopulationStability.index(new long[] {100, 300, 600, 0}, new long[] {10, 30, 60, 0}))
                .isCloseTo(0, within(1e-3));
    }

    @Test
    void aDistributionMovedToOtherBinsIsAMajorShift() {
        // Half of the payments moved from the first two bins to the last: far past the usual 0.25.
        double psi = PopulationStability.index(new long[] {500, 500, 0, 0}, new long[] {250, 250, 0, 500});
        assertThat(psi).isGreaterThan(1.0);
        // A few points moved between neighbours: noise, below 0.1.
        assertThat(PopulationStability.index(new long[] {500, 500}, new long[] {520, 480})).isLessThan(0.01);
    }

    @Test
    void aBinEmptyOnOneSideGivesAFiniteIndex() {
        assertThat(PopulationStability.index(new long[] {1000, 0}, new long[] {0, 1000})).isFinite().isGreaterThan(5);
    }

    @Test
    void anEmptySideCannotBeCompared() {
        assertThat(PopulationStability.index(new long[] {0, 0}, new long[] {1, 2})).isNaN();
        assertThat(PopulationStability.index(new long[] {1, 2}, new long[] {0, 0})).isNaN();
    }

    @Test
    void refusesBinsThatDoNotMatch() {
        assertThatThrownBy(() -> PopulationStability.index(new long[2], new long[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void amountsFallInTwoBinsPerPowerOfTen() {
        int ten = AmountBuckets.of(new BigDecimal("10"));
        assertThat(AmountBuckets.of(new BigDecimal("31"))).isEqualTo(ten);
        assertThat(AmountBuckets.of(new BigDecimal("32"))).isEqualTo(ten + 1);
        assertThat(AmountBuckets.of(new BigDecimal("1000"))).isEqualTo(ten + 4);
        assertThat(AmountBuckets.of(new BigDecimal("0.00001"))).isZero();
        assertThat(AmountBuckets.of(new BigDecimal("1e15"))).isEqualTo(AmountBuckets.COUNT - 1);
    }
}
