package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

  @Test
  void alphaBarMatchesClosedFormForConstantBeta() {
    NoiseSchedule schedule = NoiseSchedule.linear(50, 0.05, 0.05);

    for (int t = 0; t < 50; t++) {
      assertThat(schedule.alphaBar(t)).isCloseTo(Math.pow(0.95, t + 1), within(1e-12));
    }
  }

  @Test
  void linearBetasRunFromMinToMax() {
    NoiseSchedule schedule = NoiseSchedule.linear(11, 1e-4, 0.2);

    assertThat(schedule.beta(0)).isEqualTo(1e-4);
    assertThat(schedule.beta(10)).isCloseTo(0.2, within(1e-15));
    assertThat(schedule.beta(5)).isCloseTo((1e-4 + 0.2) / 2, within(1e-15));
    assertThat(schedule.alpha(3)).isEqualTo(1.0 - schedule.beta(3));
  }

  @Test
  void posteriorVarianceIsZeroAtFirstStepAndFollowsClosedForm() {
    NoiseSchedule schedule = NoiseSchedule.linear(20, 1e-3, 0.1);
    double expected = (1 - schedule.alphaBar(6)) / (1 - schedule.alphaBar(7)) * schedule.beta(7);

    assertThat(schedule.posteriorVariance(0)).isZero();
    assertThat(schedule.posteriorVariance(7)).isCloseTo(expected, within(1e-15));
    assertThat(schedule.posteriorVariance(7)).isLessThan(schedule.beta(7));
  }

  @Test
  void cosineScheduleIsClippedAndDecreasing() {
    NoiseSchedule schedule = NoiseSchedule.cosine(100);

    assertThat(schedule.beta(99)).isLessThanOrEqualTo(0.999);
    assertThat(schedule.alphaBar(0)).isGreaterThan(0.99);
    assertThat(schedule.alphaBar(99)).isLessThan(1e-3);
    assertThat(schedule.alphaBar(50)).isLessThan(schedule.alphaBar(49));
  }

  @Test
  void stepsFromBoundMatchesHandComputedValues() {
    assertThat(NoiseSchedule.stepsFromBound(0.2, 10.0)).isEqualTo(44);
    assertThat(NoiseSchedule.stepsFromBound(0.02, 0.0)).isEqualTo(2);
    assertThat(NoiseSchedule.stepsFromBound(0.5, Math.E - 1)).isEqualTo(64);
  }

  @Test
  void diameterIsExactOnUnitSquareCorners() {
    float[][] corners = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};

    assertThat(NoiseSchedule.diameter(corners)).isCloseTo(Math.sqrt(2), within(1e-12));
    assertThat(NoiseSchedule.diameter(new float[0][])).isZero();
  }

  @Test
  void diameterOfManyRowsIsBoundingBoxDiagonal() {
    float[][] rows = new float[NoiseSchedule.EXACT_DIAMETER_MAX_ROWS + 1][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {i % 3, i % 4};
    }

    assertThat(NoiseSchedule.diameter(rows)).isCloseTo(Math.sqrt(4 + 9), within(1e-12));
  }

  @Test
  void badArgumentsNameTheSetting() {
    assertThatThrownBy(() -> NoiseSchedule.linear(0, 1e-4, 0.2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("steps must be >= 1 but was 0");
    assertThatThrownBy(() -> NoiseSchedule.linear(10, 0.3, 0.2))
        .hasMessageContaining("betaMin=0.3, betaMax=0.2");
    assertThatThrownBy(() -> NoiseSchedule.linear(10, 0.0, 0.2)).hasMessageContaining("betaMin");
    assertThatThrownBy(() -> NoiseSchedule.linear(10, 1e-4, 1.0)).hasMessageContaining("betaMax");
    assertThatThrownBy(() -> NoiseSchedule.stepsFromBound(0.2, -1))
        .hasMessageContaining("diameter must be a finite number >= 0 but was -1.0");
    assertThatThrownBy(() -> NoiseSchedule.cosine(10).alphaBar(10))
        .hasMessageContaining("step t must be in [0, 10) but was 10");
    assertThatThrownBy(() -> NoiseSchedule.diameter(new float[][] {{1, 2}, {3}}))
        .hasMessageContaining("rows must all have 2 features but one has 1");
  }
}
