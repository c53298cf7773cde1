package org.mcrage.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticsTest {

  @Test
  void tQuantilesMatchTheTables() {
    assertThat(Statistics.tQuantile(0.975, 1)).isCloseTo(12.7062, within(1e-4));
    assertThat(Statistics.tQuantile(0.975, 2)).isCloseTo(4.3027, within(1e-4));
    assertThat(Statistics.tQuantile(0.975, 9)).isCloseTo(2.2622, within(1e-4));
    assertThat(Statistics.tQuantile(0.975, 29)).isCloseTo(2.0452, within(1e-4));
  }

  @Test
  void summarisesWithTheSampleStandardDeviationAndAPairedTInterval() {
    Statistics.Summary summary = Statistics.summarise(new double[] {1, 2, 3, Double.NaN});

    assertThat(summary.n()).isEqualTo(3);
    assertThat(summary.mean()).isEqualTo(2.0);
    assertThat(summary.std()).isEqualTo(1.0);
    double half = 4.302653 / Math.sqrt(3);
    assertThat(summary.low()).isCloseTo(2 - half, within(1e-5));
    assertThat(summary.high()).isCloseTo(2 + half, within(1e-5));
  }

  @Test
  void oneValueHasAMeanButNoSpread() {
    Statistics.Summary summary = Statistics.summarise(new double[] {0.5});

    assertThat(summary.mean()).isEqualTo(0.5);
    assertThat(summary.std()).isNaN();
    assertThat(summary.low()).isNaN();
  }
}
