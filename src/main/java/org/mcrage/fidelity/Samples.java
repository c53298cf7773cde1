package org.mcrage.fidelity;

import java.util.SplittableRandom;

/** Seeded subsets of row arrays. */
final class Samples {
  private Samples() {}

  /** Returns {@code count} rows chosen without replacement (all rows, shuffled, if fewer). */
  static double[][] take(double[][] rows, int count, SplittableRandom random) {
    int[] order = permutation(rows.length, random);
    double[][] result = new double[Math.min(count, rows.length)][];
    for (int i = 0; i < result.length; i++) {
      result[i] = rows[order[i]];
    }
    return result;
  }

  /** Returns a seeded random permutation of 0..count-1. */
  static int[] permutation(int count, SplittableRandom random) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
