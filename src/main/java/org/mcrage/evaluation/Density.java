package org.mcrage.evaluation;

import java.util.Arrays;

/** Gaussian kernel density estimates for the density figures. */
final class Density {
  private Density() {}

  /**
   * Estimates a density on a grid with Silverman's rule-of-thumb bandwidth.
   *
   * @param values the sample (finite values)
   * @param grid the points to evaluate at
   * @return the density at each grid point; empty for a sample of fewer than two values
   */
  static double[] kde(double[] values, double[] grid) {
    if (values.length < 2) {
      return new double[0];
    }
    double mean = Arrays.stream(values).average().orElse(0);
    double variance =
        Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1);
    double std = Math.sqrt(variance);
    double bandwidth = 1.06 * (std > 0 ? std : 1.0) * Math.pow(values.length, -0.2);
    double norm = 1.0 / (values.length * bandwidth * Math.sqrt(2 * Math.PI));
    double[] density = new double[grid.length];
    for (int i = 0; i < grid.length; i++) {
      double sum = 0;
      for (double value : values) {
        double z = (grid[i] - value) / bandwidth;
        sum += Math.exp(-0.5 * z * z);
      }
      density[i] = sum * norm;
    }
    return density;
  }
}
