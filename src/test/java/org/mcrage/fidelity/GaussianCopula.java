package org.mcrage.fidelity;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * A simple generator for the fidelity benchmark's attainable reference: a Gaussian copula fitted on
 * one group's rows. Each feature keeps its empirical distribution (sampled by linear interpolation
 * between the sorted values, so within their range); the dependence between features is the
 * correlation matrix of their normal scores. It knows only the rows it is fitted on, like a
 * generator trained on that group alone.
 */
final class GaussianCopula {
  private static final double RIDGE = 1e-6;

  private final double[][] sortedColumns;
  private final double[][] cholesky;

  private GaussianCopula(double[][] sortedColumns, double[][] cholesky) {
    this.sortedColumns = sortedColumns;
    this.cholesky = cholesky;
  }

  /**
   * Fits the copula on rows of equal width.
   *
   * @param rows at least two rows
   */
  static GaussianCopula fit(double[][] rows) {
    if (rows.length < 2) {
      throw new IllegalArgumentException("a Gaussian copula needs two rows, got " + rows.length);
    }
    int width = rows[0].length;
    double[][] columns = FeatureStatistics.columns(rows, width);
    double[][] scores = new double[rows.length][width];
    double[][] sorted = new double[width][];
    for (int k = 0; k < width; k++) {
      double[] normal = normalScores(columns[k]);
      for (int i = 0; i < rows.length; i++) {
        scores[i][k] = normal[i];
      }
      sorted[k] = columns[k].clone();
      Arrays.sort(sorted[k]);
    }
    return new GaussianCopula(sorted, cholesky(correlation(scores, width)));
  }

  /** Returns {@code count} rows drawn with the given generator. */
  double[][] sample(int count, SplittableRandom random) {
    int width = sortedColumns.length;
    double[][] rows = new double[count][width];
    double[] independent = new double[width];
    for (double[] row : rows) {
      for (int k = 0; k < width; k++) {
        independent[k] = random.nextGaussian();
      }
      for (int k = 0; k < width; k++) {
        double z = 0.0;
        for (int j = 0; j <= k; j++) {
          z += cholesky[k][j] * independent[j];
        }
        row[k] = quantile(sortedColumns[k], 0.5 * (1 + Erf.erf(z / Math.sqrt(2))));
      }
    }
    return rows;
  }

  /** Maps values to normal scores through their mid-ranks: Phi^-1(rank / (n + 1)). */
  private static double[] normalScores(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    double[] scores = new double[values.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1.0;
      double score = Math.sqrt(2) * Erf.erfInv(2 * rank / (values.length + 1.0) - 1);
      for (int k = i; k <= j; k++) {
        scores[order[k]] = score;
      }
      i = j + 1;
    }
    return scores;
  }

  private static double[][] correlation(double[][] scores, int width) {
    double[][] matrix = FeatureStatistics.correlation(scores, width);
    for (int k = 0; k < width; k++) {
      for (int j = 0; j < width; j++) {
        matrix[k][j] = Double.isFinite(matrix[k][j]) ? matrix[k][j] : (k == j ? 1.0 : 0.0);
      }
      matrix[k][k] = 1.0 + RIDGE;
    }
    return matrix;
  }

  /** Lower Cholesky factor; a pivot that is not positive (rounding) is clamped to the ridge. */
  private static double[][] cholesky(double[][] matrix) {
    int n = matrix.length;
    double[][] lower = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = matrix[i][j];
        for (int k = 0; k < j; k++) {
          sum -= lower[i][k] * lower[j][k];
        }
        lower[i][j] = i == j ? Math.sqrt(Math.max(sum, RIDGE)) : sum / lower[j][j];
      }
    }
    return lower;
  }

  /** Returns the empirical quantile at p, linearly interpolated between sorted values. */
  private static double quantile(double[] sorted, double p) {
    double position = p * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }
}
