package org.mcrage.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpatialBlocksTest {
  private static final double[] UNIT = {1, 1, 1, 1, 1, 1, 1, 1, 1};

  @Test
  void blockWiseNeighboursRecallMostExactNeighboursOnClusteredRows() {
    double[][] points = clustered(20_000, 8, 1);

    double recall = SpatialBlocks.recallAtK(points, UNIT, 5, 5_000, 500, 2);

    assertThat(SpatialBlocks.blocksFor(points.length, 5_000)).isEqualTo(4);
    assertThat(recall).isGreaterThanOrEqualTo(0.8).isLessThanOrEqualTo(1.0);
  }

  @Test
  void oneBlockRecallsEveryNeighbour() {
    double[][] points = clustered(2_000, 3, 4);

    assertThat(SpatialBlocks.recallAtK(points, UNIT, 5, 2_000, 100, 2)).isEqualTo(1.0);
  }

  @Test
  void blocksHoldAboutEqualShares() {
    double[][] points = clustered(12_000, 5, 7);
    SpatialBlocks blocks = SpatialBlocks.fit(points, UNIT, 3);

    int[][] members = blocks.split(points);

    assertThat(blocks.count()).isEqualTo(3);
    assertThat(Arrays.stream(members).mapToInt(m -> m.length).sum()).isEqualTo(12_000);
    assertThat(Arrays.stream(members).mapToInt(m -> m.length))
        .allSatisfy(size -> assertThat(size).isBetween(3_900, 4_100));
  }

  @Test
  void theFitDoesNotDependOnTheSampleOrder() {
    double[][] points = clustered(3_000, 4, 9);
    double[][] reversed = points.clone();
    java.util.Collections.reverse(Arrays.asList(reversed));

    SpatialBlocks forward = SpatialBlocks.fit(points, UNIT, 4);
    SpatialBlocks backward = SpatialBlocks.fit(reversed, UNIT, 4);

    for (double[] point : points) {
      assertThat(backward.blockOf(point)).isEqualTo(forward.blockOf(point));
    }
  }

  /** Rows around a few centres in 9 dimensions, like patients of a few kinds. */
  static double[][] clustered(int n, int clusters, long seed) {
    Random random = new Random(seed);
    double[][] centres = new double[clusters][9];
    for (double[] centre : centres) {
      for (int f = 0; f < 9; f++) {
        centre[f] = 4 * random.nextGaussian();
      }
    }
    double[][] points = new double[n][9];
    for (double[] point : points) {
      double[] centre = centres[random.nextInt(clusters)];
      for (int f = 0; f < 9; f++) {
        point[f] = centre[f] + random.nextGaussian();
      }
    }
    return points;
  }
}
