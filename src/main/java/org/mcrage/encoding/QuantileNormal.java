package org.mcrage.encoding;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.commons.math3.special.Erf;

/**
 * A monotone map of one numeric feature onto a standard normal, through its empirical quantiles.
 *
 * <p>The quantile function is stored as {@code knots[k]}, the value at probability {@code k / (K -
 * 1)}. A value maps to the probability of its position between the knots (the middle of a run of
 * equal knots, so tied values such as whole-year ages keep one probability), clipped to [{@value
 * #TAIL}, 1 - {@value #TAIL}], then to the normal quantile of that probability. The inverse maps a
 * normal value to its probability and interpolates between the knots, so generated values never
 * leave the observed range and follow the real marginal shape: skewed laboratory values stay
 * skewed, with no mass below a physiological floor.
 */
final class QuantileNormal implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Probabilities are clipped to this distance from 0 and 1 (about 3.1 standard deviations). */
  static final double TAIL = 1e-3;

  private final double[] knots;

  /**
   * Creates the map from quantile knots.
   *
   * @param knots values at evenly spaced probabilities from 0 to 1, non-decreasing, at least two
   */
  QuantileNormal(double[] knots) {
    if (knots.length < 2) {
      throw new IllegalArgumentException("at least two quantile knots are needed");
    }
    this.knots = knots.clone();
    Arrays.sort(this.knots);
  }

  /** Returns the knots, values at probabilities {@code k / (K - 1)}. */
  double[] knots() {
    return knots.clone();
  }

  /** Returns the standard normal value of a feature value. */
  double encode(double value) {
    return normalQuantile(probability(value));
  }

  /** Returns the feature value of a standard normal value, inside the knots' range. */
  double decode(double normal) {
    double position = normalProbability(normal) * (knots.length - 1);
    int below = (int) Math.floor(position);
    if (below >= knots.length - 1) {
      return knots[knots.length - 1];
    }
    if (below < 0) {
      return knots[0];
    }
    double fraction = position - below;
    return knots[below] + fraction * (knots[below + 1] - knots[below]);
  }

  /** Returns the probability of a value: its interpolated position among the knots. */
  double probability(double value) {
    int last = knots.length - 1;
    double position;
    if (value <= knots[0]) {
      position = value < knots[0] ? 0 : (upperIndex(value) / 2.0);
    } else if (value >= knots[last]) {
      position = value > knots[last] ? last : (lowerIndex(value) + last) / 2.0;
    } else {
      int lower = lowerIndex(value);
      int upper = upperIndex(value);
      if (knots[lower] == value) {
        position = (lower + upper) / 2.0;
      } else {
        int below = lower - 1;
        position = below + (value - knots[below]) / (knots[lower] - knots[below]);
      }
    }
    double probability = position / last;
    return Math.max(TAIL, Math.min(1 - TAIL, probability));
  }

  /** First index whose knot is at least the value. */
  private int lowerIndex(double value) {
    int low = 0;
    int high = knots.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (knots[middle] < value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** Last index whose knot is at most the value. */
  private int upperIndex(double value) {
    int low = 0;
    int high = knots.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (knots[middle] <= value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low - 1;
  }

  static double normalQuantile(double probability) {
    return Math.sqrt(2) * Erf.erfInv(2 * probability - 1);
  }

  static double normalProbability(double normal) {
    return 0.5 * (1 + Erf.erf(normal / Math.sqrt(2)));
  }
}
