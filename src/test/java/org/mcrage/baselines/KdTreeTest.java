package org.mcrage.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KdTreeTest {

  @Test
  void findsTheSameNeighboursAsABruteForceScanOnSpreadData() {
    double[][] points = gaussian(3000, 9, 1);
    double[] scale = {1, 2, 0.5, 3, 1, 1, 10, 0.1, 1};
    KdTree tree = KdTree.build(points, scale);
    SmoteInterpolator bruteForce = new SmoteInterpolator(5, scale);

    for (int of = 0; of < points.length; of += 37) {
      assertThat(tree.nearest(of, 5)).containsExactly(bruteForce.nearest(points, of));
    }
  }

  @Test
  void breaksTiesByTheLowerIndexLikeTheBruteForceScan() {
    Random random = new Random(3);
    double[][] points = new double[600][3];
    for (double[] point : points) {
      for (int f = 0; f < point.length; f++) {
        point[f] = random.nextInt(4);
      }
    }
    double[] scale = {1, 0.7, 3};
    KdTree tree = KdTree.build(points, scale);

    for (int k : new int[] {1, 5, 40}) {
      SmoteInterpolator bruteForce = new SmoteInterpolator(k, scale);
      for (int of = 0; of < points.length; of += 7) {
        assertThat(tree.nearest(of, k)).containsExactly(bruteForce.nearest(points, of));
      }
    }
  }

  @Test
  void searchesEveryWantedPointInOnePassAndLeavesTheOthersEmpty() {
    double[][] points = gaussian(500, 4, 2);
    double[] scale = {1, 1, 1, 1};
    KdTree tree = KdTree.build(points, scale);
    boolean[] wanted = new boolean[points.length];
    for (int i = 0; i < wanted.length; i += 3) {
      wanted[i] = true;
    }

    int[] neighbours = tree.nearestOfEach(wanted, 5);

    for (int i = 0; i < points.length; i++) {
      int[] row = java.util.Arrays.copyOfRange(neighbours, i * 5, i * 5 + 5);
      if (wanted[i]) {
        assertThat(row).containsExactly(tree.nearest(i, 5));
      } else {
        assertThat(row).containsOnly(-1);
      }
    }
  }

  @Test
  void returnsEveryOtherPointWhenThereAreFewerThanK() {
    double[][] points = {{0, 0}, {3, 0}, {1, 0}};
    KdTree tree = KdTree.build(points, new double[] {1, 1});

    assertThat(tree.nearest(0, 5)).containsExactly(2, 1);
    assertThat(tree.nearest(new double[] {2.9, 0}, new double[] {1, 1}, 2)).containsExactly(1, 2);
    assertThat(KdTree.build(new double[][] {{1, 1}}, new double[] {1, 1}).nearest(0, 5)).isEmpty();
  }

  @Test
  void handlesAGroupOfIdenticalRows() {
    double[][] points = new double[50][];
    for (int i = 0; i < points.length; i++) {
      points[i] = new double[] {2, 2};
    }

    assertThat(KdTree.build(points, new double[] {1, 1}).nearest(3, 4)).containsExactly(0, 1, 2, 4);
  }

  static double[][] gaussian(int n, int dims, long seed) {
    Random random = new Random(seed);
    double[][] points = new double[n][dims];
    for (double[] point : points) {
      for (int f = 0; f < dims; f++) {
        point[f] = random.nextGaussian() * (f + 1);
      }
    }
    return points;
  }
}
