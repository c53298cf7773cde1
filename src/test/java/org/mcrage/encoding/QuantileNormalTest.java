package org.mcrage.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileNormalTest {

  @Test
  void mapsASkewedSampleOntoAStandardNormal() {
    SplittableRandom random = new SplittableRandom(3);
    double[] values = new double[20_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(random.nextGaussian());
    }
    QuantileNormal transform = new QuantileNormal(knots(values, 1000));
    double sum = 0;
    double squares = 0;
    for (double value : values) {
      double z = transform.encode(value);
      sum += z;
      squares += z * z;
    }
    double mean = sum / values.length;
    assertThat(mean).isCloseTo(0.0, within(0.02));
    assertThat(Math.sqrt(squares / values.length - mean * mean)).isCloseTo(1.0, within(0.03));
  }

  @Test
  void decodeInvertsEncodeInsideTheRangeAndNeverLeavesIt() {
    double[] knots = {1, 2, 4, 8, 16};
    QuantileNormal transform = new QuantileNormal(knots);
    for (double value : new double[] {1.5, 3, 5, 7.9, 12}) {
      assertThat(transform.decode(transform.encode(value))).isCloseTo(value, within(1e-9));
    }
    assertThat(transform.decode(40)).isEqualTo(16);
    assertThat(transform.decode(-40)).isEqualTo(1);
    assertThat(transform.encode(1000)).isEqualTo(transform.encode(16));
    assertThat(transform.encode(16)).isCloseTo(QuantileNormal.normalQuantile(0.999), within(1e-9));
  }

  @Test
  void tiedValuesTakeTheMiddleOfTheirRun() {
    QuantileNormal transform = new QuantileNormal(new double[] {30, 40, 40, 40, 50});
    assertThat(transform.probability(40)).isCloseTo(0.5, within(1e-12));
    assertThat(transform.encode(40)).isCloseTo(0.0, within(1e-9));
    QuantileNormal constant = new QuantileNormal(new double[] {7, 7, 7});
    assertThat(constant.encode(7)).isCloseTo(0.0, within(1e-9));
    assertThat(constant.decode(1.3)).isEqualTo(7);
  }

  @Test
  void isMonotone() {
    QuantileNormal transform = new QuantileNormal(new double[] {0, 0, 1, 3, 3, 3, 10});
    double previous = Double.NEGATIVE_INFINITY;
    for (double value = -1; value <= 11; value += 0.01) {
      double z = transform.encode(value);
      assertThat(z).isGreaterThanOrEqualTo(previous);
      previous = z;
    }
  }

  private static double[] knots(double[] values, int count) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] knots = new double[count];
    for (int k = 0; k < count; k++) {
      knots[k] = sorted[(int) Math.round(k * (sorted.length - 1) / (double) (count - 1))];
    }
    return knots;
  }
}
