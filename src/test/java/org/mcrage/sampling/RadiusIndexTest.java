package org.mcrage.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mcrage.fidelity.NearestRecord;

class RadiusIndexTest {

  @Test
  void answersAsTheBruteForceNearestDistanceDoes() {
    SplittableRandom random = new SplittableRandom(7);
    double[][] real = new double[3_000][];
    for (int i = 0; i < real.length; i++) {
      // A continuous feature, an integer-like one (few values) and a constant one.
      real[i] =
          new double[] {random.nextGaussian(), Math.floor(random.nextDouble() * 5) / 4.0, 0.5};
    }
    RadiusIndex index = RadiusIndex.of(real);

    int within = 0;
    for (int i = 0; i < 20_000; i++) {
      double[] query = real[random.nextInt(real.length)].clone();
      double radius = 0.01 + random.nextDouble() * 0.2;
      // Shift by about the radius, so that many queries sit just inside or just outside it.
      double shift = radius * (0.9 + random.nextDouble() * 0.2);
      query[i % 3] += random.nextBoolean() ? shift : -shift;
      boolean expected = NearestRecord.distance(query, real) < radius;
      assertThat(index.anyWithin(query, radius)).as("query %d", i).isEqualTo(expected);
      within += expected ? 1 : 0;
    }
    assertThat(within).as("queries inside the radius").isBetween(2_000, 18_000);
  }

  @Test
  void findsAnExactCopyAndNothingWhenEmpty() {
    RadiusIndex index = RadiusIndex.of(new double[][] {{1, 2}, {3, 4}});

    assertThat(index.size()).isEqualTo(2);
    assertThat(index.anyWithin(new double[] {3, 4}, 1e-12)).isTrue();
    assertThat(index.anyWithin(new double[] {3, 4.5}, 0.5)).isFalse();
    assertThat(index.anyWithin(new double[] {3, 4.5}, 0.5000001)).isTrue();
    assertThat(RadiusIndex.of(new double[0][]).anyWithin(new double[] {1, 2}, 10)).isFalse();
  }

  @Test
  void rejectsRowsOfUnequalWidth() {
    assertThatThrownBy(() -> RadiusIndex.of(new double[][] {{1, 2}, {3}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 values");
  }
}
