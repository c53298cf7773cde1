package org.mcrage.fidelity;

/**
 * Per-feature standardisation (x - mean) / sd fitted on a set of rows; a constant feature is only
 * centred.
 *
 * @param means the feature means
 * @param sds the feature standard deviations (1 for a constant feature)
 */
public record Standardiser(double[] means, double[] sds) {

  /** Fits the standardisation on rows (population standard deviation, as the encoder uses). */
  public static Standardiser fit(double[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    double[][] columns = FeatureStatistics.columns(rows, width);
    double[] means = new double[width];
    double[] sds = new double[width];
    for (int k = 0; k < width; k++) {
      means[k] = FeatureStatistics.mean(columns[k]);
      double sd = FeatureStatistics.sd(columns[k]) * Math.sqrt((rows.length - 1.0) / rows.length);
      sds[k] = sd > 1e-12 ? sd : 1.0;
    }
    return new Standardiser(means, sds);
  }

  /** Returns the standardised copy of the rows. */
  public double[][] apply(double[][] rows) {
    double[][] result = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      result[i] = new double[rows[i].length];
      for (int k = 0; k < rows[i].length; k++) {
        result[i][k] = (rows[i][k] - means[k]) / sds[k];
      }
    }
    return result;
  }
}
