package org.mcrage.evaluation;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/** Summaries of a figure over seeds: mean, sample standard deviation and a t-interval. */
public final class Statistics {
  private Statistics() {}

  /**
   * A summary of values over seeds; NaN values (undefined on some seed) are left out.
   *
   * @param n the number of defined values
   * @param mean their mean
   * @param std their sample standard deviation (NaN below two values)
   * @param low the lower end of the 95% t-interval of the mean (NaN below two values)
   * @param high the upper end
   */
  public record Summary(int n, double mean, double std, double low, double high) {}

  /**
   * Summarises values: for paired differences (variant minus baseline on the same seed), the
   * interval is the paired t-interval.
   *
   * @param values one value per seed
   * @return the summary
   */
  public static Summary summarise(double[] values) {
    double[] defined = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    int n = defined.length;
    if (n == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = Arrays.stream(defined).average().orElseThrow();
    if (n < 2) {
      return new Summary(n, mean, Double.NaN, Double.NaN, Double.NaN);
    }
    double squares = Arrays.stream(defined).map(v -> (v - mean) * (v - mean)).sum();
    double std = Math.sqrt(squares / (n - 1));
    double halfWidth = tQuantile(0.975, n - 1) * std / Math.sqrt(n);
    return new Summary(n, mean, std, mean - halfWidth, mean + halfWidth);
  }

  /**
   * Returns a quantile of Student's t distribution.
   *
   * @param probability the cumulative probability, e.g. 0.975
   * @param degreesOfFreedom at least 1
   * @return the quantile
   */
  public static double tQuantile(double probability, int degreesOfFreedom) {
    return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(probability);
  }
}
