package org.mcrage.sampling;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * One group's real rows, sorted along one feature, answering whether any of them lies closer than a
 * radius to a given row without measuring every row.
 *
 * <p>A row closer than the radius is also closer than the radius along the sorted feature, so only
 * the rows in that window of the sort order are measured, and each measurement stops as soon as its
 * partial sum of squares reaches the radius. The sorted feature is the one with the most distinct
 * values, which keeps the window narrow. The answer is exactly that of the brute-force nearest
 * distance ({@link org.mcrage.fidelity.NearestRecord#distance}) compared with the radius: the
 * window and the stopping bound are widened by margins above rounding error (so a row left out is
 * certainly at or beyond the radius), and every row inside them is decided by the same sum of
 * squares, taken in the same order, as the brute force.
 */
final class RadiusIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Relative widening of the window and the stopping bound; far above double rounding error. */
  private static final double MARGIN = 1e-9;

  private final int width;
  private final int axis;
  private final double[] keys;
  private final double[] values;

  private RadiusIndex(int width, int axis, double[] keys, double[] values) {
    this.width = width;
    this.axis = axis;
    this.keys = keys;
    this.values = values;
  }

  /**
   * Indexes rows of equal width.
   *
   * @param rows the rows, without missing values
   * @return the index
   */
  static RadiusIndex of(double[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    for (double[] row : rows) {
      if (row.length != width) {
        throw new IllegalArgumentException(
            "every row must have " + width + " values but one had " + row.length);
      }
    }
    int axis = mostDistinct(rows, width);
    Integer[] order = new Integer[rows.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(rows[a][axis], rows[b][axis]));

    double[] keys = new double[rows.length];
    double[] values = new double[rows.length * width];
    for (int i = 0; i < order.length; i++) {
      double[] row = rows[order[i]];
      keys[i] = width == 0 ? 0.0 : row[axis];
      System.arraycopy(row, 0, values, i * width, width);
    }
    return new RadiusIndex(width, axis, keys, values);
  }

  /** Returns the rows indexed. */
  int size() {
    return keys.length;
  }

  /**
   * Returns whether some indexed row lies at a Euclidean distance below {@code radius} from {@code
   * row}.
   *
   * @param row the row, as wide as the indexed rows, without missing values
   * @param radius the radius, at least 0
   * @return true when the nearest indexed row is closer than the radius
   */
  boolean anyWithin(double[] row, double radius) {
    if (keys.length == 0 || !(radius > 0)) {
      return false;
    }
    if (width == 0) {
      return true;
    }
    double centre = row[axis];
    double reach = radius * (1 + MARGIN) + 4 * Math.ulp(Math.abs(centre) + radius);
    double stop = radius * radius * (1 + MARGIN);
    for (int i = firstAtLeast(centre - reach); i < keys.length && keys[i] <= centre + reach; i++) {
      if (Math.sqrt(squaredDistance(row, i * width, stop)) < radius) {
        return true;
      }
    }
    return false;
  }

  /**
   * The sum of squares in feature order, given up (returned as is) once it reaches {@code stop}.
   */
  private double squaredDistance(double[] row, int offset, double stop) {
    double sum = 0.0;
    for (int k = 0; k < width && sum < stop; k++) {
      double difference = row[k] - values[offset + k];
      sum += difference * difference;
    }
    return sum;
  }

  private int firstAtLeast(double key) {
    int low = 0;
    int high = keys.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (keys[middle] < key) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private static int mostDistinct(double[][] rows, int width) {
    int best = 0;
    int bestCount = -1;
    for (int k = 0; k < width; k++) {
      Set<Double> distinct = new HashSet<>();
      for (double[] row : rows) {
        distinct.add(row[k]);
      }
      if (distinct.size() > bestCount) {
        best = k;
        bestCount = distinct.size();
      }
    }
    return best;
  }
}
