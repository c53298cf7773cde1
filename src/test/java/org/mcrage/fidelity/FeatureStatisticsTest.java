package org.mcrage.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FeatureStatisticsTest {

  @Test
  void ksIsTheLargestGapBetweenTheDistributionFunctions() {
    // F_a: 1/3 at 1, 2/3 at 2, 1 at 3; F_b: 0 until 2.5, 1/2 at 2.5, 1 at 4 -> gap 2/3 at x = 2.
    assertThat(FeatureStatistics.ks(new double[] {1, 2, 3}, new double[] {2.5, 4}))
        .isCloseTo(2.0 / 3.0, within(1e-12));
    assertThat(FeatureStatistics.ks(new double[] {1, 2}, new double[] {2, 1})).isZero();
    assertThat(FeatureStatistics.ks(new double[] {0, 0}, new double[] {5})).isEqualTo(1.0);
  }

  @Test
  void wassersteinIsTheAreaBetweenTheDistributionFunctions() {
    // Shifting every value by 2 moves the distribution by 2.
    assertThat(FeatureStatistics.wasserstein1(new double[] {0, 1, 5}, new double[] {2, 3, 7}))
        .isCloseTo(2.0, within(1e-12));
    // {0, 2} vs {1}: each half of the mass moves 1.
    assertThat(FeatureStatistics.wasserstein1(new double[] {0, 2}, new double[] {1}))
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  void correlationMatchesHandComputedValues() {
    double[][] rows = {{1, 2, 5}, {2, 4, 5}, {3, 6, 5}, {4, 7, 5}};
    // x = 1..4, y = 2, 4, 6, 7: cov = 8.5 / 3, sd_x = 1.29099, sd_y = 2.21736 -> r = 0.98977.
    double[][] r = FeatureStatistics.correlation(rows, 3);

    assertThat(r[0][1]).isCloseTo(0.98977, within(1e-4));
    assertThat(r[1][0]).isEqualTo(r[0][1]);
    assertThat(r[0][2]).isZero();
    assertThat(r[2][2]).isEqualTo(1.0);
    double[][] other = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    assertThat(FeatureStatistics.maxAbsDifference(r, other)).isCloseTo(0.98977, within(1e-4));
  }

  @Test
  void momentsAndQuantiles() {
    double[] values = {2, 4, 4, 4, 5, 5, 7, 9};

    assertThat(FeatureStatistics.mean(values)).isEqualTo(5.0);
    assertThat(FeatureStatistics.sd(values)).isCloseTo(Math.sqrt(32.0 / 7.0), within(1e-12));
    assertThat(FeatureStatistics.median(values)).isEqualTo(4.5);
    assertThat(FeatureStatistics.quantile(values, 0.0)).isEqualTo(2.0);
  }

  @Test
  void aurocCountsTiesHalf() {
    double[] labels = {0, 0, 1, 1};

    assertThat(TwoSampleTest.auroc(new double[] {0.1, 0.2, 0.8, 0.9}, labels)).isEqualTo(1.0);
    assertThat(TwoSampleTest.auroc(new double[] {0.5, 0.5, 0.5, 0.5}, labels)).isEqualTo(0.5);
    assertThat(TwoSampleTest.auroc(new double[] {0.1, 0.8, 0.2, 0.9}, labels)).isEqualTo(0.75);
  }
}
