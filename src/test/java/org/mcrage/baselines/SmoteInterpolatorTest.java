package org.mcrage.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmoteInterpolatorTest {
  private static final double[] UNIT = {1.0, 1.0};

  @Test
  void everyPointLiesOnASegmentToOneOfTheKNearestNeighbours() {
    double[][] points = randomPoints(30, 11);
    SmoteInterpolator smote = new SmoteInterpolator(5, UNIT);

    List<SmoteInterpolator.Point> generated = smote.generate(points, 200, 3);

    assertThat(generated).hasSize(200);
    for (SmoteInterpolator.Point point : generated) {
      assertThat(bruteForceNearest(points, point.base(), 5)).contains(point.neighbour());
      assertThat(point.gap()).isBetween(0.0, 1.0);
      double[] from = points[point.base()];
      double[] to = points[point.neighbour()];
      for (int f = 0; f < from.length; f++) {
        assertThat(point.values()[f])
            .isCloseTo(from[f] + point.gap() * (to[f] - from[f]), within(1e-12));
      }
    }
  }

  @Test
  void nearestNeighboursFollowTheScaledDistance() {
    double[][] points = {{0, 0}, {10, 0}, {0, 1}};
    SmoteInterpolator scaled = new SmoteInterpolator(1, new double[] {100, 1});

    assertThat(scaled.nearest(points, 0)).containsExactly(1);
    assertThat(new SmoteInterpolator(1, UNIT).nearest(points, 0)).containsExactly(2);
  }

  @Test
  void theSameSeedGivesTheSamePointsAndAnotherSeedOthers() {
    double[][] points = randomPoints(20, 5);
    SmoteInterpolator smote = new SmoteInterpolator(5, UNIT);

    List<SmoteInterpolator.Point> first = smote.generate(points, 10, 42);
    List<SmoteInterpolator.Point> again = smote.generate(points, 10, 42);
    List<SmoteInterpolator.Point> other = smote.generate(points, 10, 43);

    for (int i = 0; i < first.size(); i++) {
      assertThat(again.get(i).values()).containsExactly(first.get(i).values());
    }
    assertThat(other.get(0).values()).isNotEqualTo(first.get(0).values());
  }

  @Test
  void aGroupSmallerThanKPlusOneUsesAllItsOtherRowsAndALoneRowIsCopied() {
    SmoteInterpolator smote = new SmoteInterpolator(5, UNIT);
    double[][] three = {{0, 0}, {1, 0}, {0, 1}};
    double[][] one = {{4, 2}};

    assertThat(smote.neighboursFor(3)).isEqualTo(2);
    assertThat(smote.nearest(three, 0)).containsExactlyInAnyOrder(1, 2);
    assertThat(smote.generate(three, 50, 1))
        .allSatisfy(p -> assertThat(p.neighbour()).isNotEqualTo(p.base()));
    assertThat(smote.generate(one, 3, 1))
        .allSatisfy(p -> assertThat(p.values()).containsExactly(4.0, 2.0));
  }

  private static double[][] randomPoints(int n, long seed) {
    Random random = new Random(seed);
    double[][] points = new double[n][2];
    for (double[] point : points) {
      point[0] = random.nextGaussian();
      point[1] = random.nextGaussian();
    }
    return points;
  }

  private static List<Integer> bruteForceNearest(double[][] points, int of, int k) {
    return java.util.stream.IntStream.range(0, points.length)
        .filter(j -> j != of)
        .boxed()
        .sorted(
            java.util.Comparator.comparingDouble(
                j -> Math.hypot(points[j][0] - points[of][0], points[j][1] - points[of][1])))
        .limit(k)
        .toList();
  }
}
