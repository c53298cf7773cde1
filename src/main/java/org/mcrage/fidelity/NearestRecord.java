package org.mcrage.fidelity;

/**
 * Euclidean distance from a row to the closest of a set of reference rows, by brute force (the
 * reference sets here are one group's real rows: thousands, not millions).
 */
public final class NearestRecord {
  private NearestRecord() {}

  /**
   * Returns the distance from {@code row} to its nearest reference row, or +infinity when there are
   * none; stops scanning early at distance 0.
   */
  public static double distance(double[] row, double[][] reference) {
    double best = Double.POSITIVE_INFINITY;
    for (double[] other : reference) {
      double sum = 0.0;
      for (int k = 0; k < row.length && sum < best; k++) {
        double difference = row[k] - other[k];
        sum += difference * difference;
      }
      if (sum < best) {
        best = sum;
        if (best == 0.0) {
          return 0.0;
        }
      }
    }
    return Math.sqrt(best);
  }

  /** Returns each row's distance to its nearest reference row. */
  public static double[] distances(double[][] rows, double[][] reference) {
    double[] result = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      result[i] = distance(rows[i], reference);
    }
    return result;
  }
}
