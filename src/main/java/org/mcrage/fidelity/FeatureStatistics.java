package org.mcrage.fidelity;

import java.util.Arrays;

/** Plain statistics on columns of doubles, used by the fidelity and privacy reports. */
public final class FeatureStatistics {
  private FeatureStatistics() {}

  /** Returns the arithmetic mean, NaN for no values. */
  public static double mean(double[] values) {
    double sum = 0.0;
    for (double value : values) {
      sum += value;
    }
    return values.length == 0 ? Double.NaN : sum / values.length;
  }

  /** Returns the sample standard deviation (n - 1), 0 for fewer than two values. */
  public static double sd(double[] values) {
    if (values.length < 2) {
      return 0.0;
    }
    double mean = mean(values);
    double sum = 0.0;
    for (double value : values) {
      sum += (value - mean) * (value - mean);
    }
    return Math.sqrt(sum / (values.length - 1));
  }

  /**
   * Returns the two-sample Kolmogorov-Smirnov statistic: the largest gap between the two empirical
   * distribution functions, in [0, 1].
   */
  public static double ks(double[] a, double[] b) {
    double[] x = sorted(a);
    double[] y = sorted(b);
    int i = 0;
    int j = 0;
    double largest = 0.0;
    while (i < x.length && j < y.length) {
      double value = Math.min(x[i], y[j]);
      while (i < x.length && x[i] <= value) {
        i++;
      }
      while (j < y.length && y[j] <= value) {
        j++;
      }
      largest = Math.max(largest, Math.abs((double) i / x.length - (double) j / y.length));
    }
    return largest;
  }

  /**
   * Returns the Wasserstein-1 distance between the two empirical distributions: the area between
   * their distribution functions, in the values' units.
   */
  public static double wasserstein1(double[] a, double[] b) {
    double[] x = sorted(a);
    double[] y = sorted(b);
    double[] all = new double[x.length + y.length];
    System.arraycopy(x, 0, all, 0, x.length);
    System.arraycopy(y, 0, all, x.length, y.length);
    Arrays.sort(all);
    double area = 0.0;
    int i = 0;
    int j = 0;
    for (int k = 0; k + 1 < all.length; k++) {
      while (i < x.length && x[i] <= all[k]) {
        i++;
      }
      while (j < y.length && y[j] <= all[k]) {
        j++;
      }
      double gap = Math.abs((double) i / x.length - (double) j / y.length);
      area += gap * (all[k + 1] - all[k]);
    }
    return area;
  }

  /**
   * Returns the Pearson correlation matrix of the columns of {@code rows}; a constant column has
   * correlation 0 with every other column and 1 with itself.
   */
  public static double[][] correlation(double[][] rows, int width) {
    double[][] columns = columns(rows, width);
    double[] means = new double[width];
    double[] sds = new double[width];
    for (int k = 0; k < width; k++) {
      means[k] = mean(columns[k]);
      sds[k] = sd(columns[k]);
    }
    double[][] result = new double[width][width];
    for (int a = 0; a < width; a++) {
      result[a][a] = 1.0;
      for (int b = a + 1; b < width; b++) {
        double value = covariance(columns[a], columns[b], means[a], means[b]);
        double scale = sds[a] * sds[b];
        result[a][b] = scale > 0 ? value / scale : 0.0;
        result[b][a] = result[a][b];
      }
    }
    return result;
  }

  /** Returns the largest absolute element-wise difference of two square matrices. */
  public static double maxAbsDifference(double[][] a, double[][] b) {
    double largest = 0.0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        largest = Math.max(largest, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return largest;
  }

  /** Returns column {@code k} of each row. */
  public static double[][] columns(double[][] rows, int width) {
    double[][] columns = new double[width][rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int k = 0; k < width; k++) {
        columns[k][i] = rows[i][k];
      }
    }
    return columns;
  }

  /** Returns the median, NaN for no values. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] x = sorted(values);
    int mid = x.length / 2;
    return x.length % 2 == 1 ? x[mid] : (x[mid - 1] + x[mid]) / 2.0;
  }

  /** Returns the q-quantile (nearest rank, q in [0, 1]), NaN for no values. */
  public static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] x = sorted(values);
    int rank = (int) Math.ceil(q * x.length) - 1;
    return x[Math.max(0, Math.min(x.length - 1, rank))];
  }

  private static double covariance(double[] a, double[] b, double meanA, double meanB) {
    double sum = 0.0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - meanA) * (b[i] - meanB);
    }
    return a.length < 2 ? 0.0 : sum / (a.length - 1);
  }

  private static double[] sorted(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}
