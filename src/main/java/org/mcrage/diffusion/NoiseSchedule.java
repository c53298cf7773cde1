package org.mcrage.diffusion;

import java.util.Arrays;

/**
 * An immutable variance schedule beta_0..beta_{T-1} of a denoising diffusion model, with the
 * derived quantities that training and sampling need.
 *
 * <p>Steps are indexed {@code t = 0..steps()-1}; {@code alphaBar(t)} is the product of {@code 1 -
 * beta} up to and including {@code t}, so {@code alphaBar(steps() - 1)} is the signal left in the
 * fully noised sample.
 */
public final class NoiseSchedule {

  /** Rows above this count get the bounding-box diagonal instead of the exact diameter. */
  static final int EXACT_DIAMETER_MAX_ROWS = 8000;

  private static final double COSINE_OFFSET = 0.008;
  private static final double COSINE_MAX_BETA = 0.999;

  private final String kind;
  private final double[] betas;
  private final double[] alphaBars;

  private NoiseSchedule(String kind, double[] betas) {
    this.kind = kind;
    this.betas = betas.clone();
    this.alphaBars = new double[betas.length];
    double product = 1.0;
    for (int t = 0; t < betas.length; t++) {
      product *= 1.0 - betas[t];
      alphaBars[t] = product;
    }
  }

  /**
   * Returns a schedule whose betas rise linearly from {@code betaMin} at t = 0 to {@code betaMax}
   * at t = steps - 1 (a single step uses {@code betaMin}).
   *
   * @param steps number of diffusion steps T, at least 1
   * @param betaMin first beta, in (0, betaMax]
   * @param betaMax last beta, in [betaMin, 1)
   */
  public static NoiseSchedule linear(int steps, double betaMin, double betaMax) {
    requireSteps(steps);
    requireBetas(betaMin, betaMax);
    double[] betas = new double[steps];
    for (int t = 0; t < steps; t++) {
      double fraction = steps == 1 ? 0.0 : (double) t / (steps - 1);
      betas[t] = betaMin + (betaMax - betaMin) * fraction;
    }
    return new NoiseSchedule("linear", betas);
  }

  /**
   * Returns the cosine schedule of Nichol and Dhariwal (2021), offset s = 0.008, with betas clipped
   * at 0.999.
   *
   * @param steps number of diffusion steps T, at least 1
   */
  public static NoiseSchedule cosine(int steps) {
    requireSteps(steps);
    double[] betas = new double[steps];
    for (int t = 0; t < steps; t++) {
      double ratio = cosineSignal(t + 1, steps) / cosineSignal(t, steps);
      betas[t] = Math.min(1.0 - ratio, COSINE_MAX_BETA);
    }
    return new NoiseSchedule("cosine", betas);
  }

  /**
   * Rebuilds a schedule from stored betas, as read back from a saved model.
   *
   * @param kind the name the schedule was built under, such as {@code linear}
   * @param betas one beta per step, each in (0, 1)
   */
  static NoiseSchedule fromBetas(String kind, double[] betas) {
    requireSteps(betas.length);
    for (double beta : betas) {
      if (!(beta > 0.0 && beta < 1.0)) {
        throw new IllegalArgumentException(
            "Cannot rebuild noise schedule: beta " + beta + " is outside (0, 1)");
      }
    }
    return new NoiseSchedule(kind, betas);
  }

  /**
   * Returns the paper's bound T' on the number of steps, ceil(2^6 * betaMax * (1 + ln(1 +
   * diameter))).
   *
   * @param betaMax the largest beta of the schedule, in (0, 1)
   * @param diameter the largest distance between two training rows, at least 0
   */
  public static int stepsFromBound(double betaMax, double diameter) {
    if (!(betaMax > 0.0 && betaMax < 1.0)) {
      throw new IllegalArgumentException(
          "betaMax must be in (0, 1) but was " + betaMax + "; use a value such as 0.2");
    }
    if (!(diameter >= 0.0) || Double.isInfinite(diameter)) {
      throw new IllegalArgumentException(
          "diameter must be a finite number >= 0 but was "
              + diameter
              + "; compute it with NoiseSchedule.diameter(rows)");
    }
    return Math.max(1, (int) Math.ceil(64.0 * betaMax * (1.0 + Math.log1p(diameter))));
  }

  /**
   * Returns the diameter of a set of rows: the exact largest pairwise Euclidean distance for up to
   * 8,000 rows, otherwise the diagonal of their bounding box, which is an upper bound on it.
   *
   * @param rows feature rows, all of one length; an empty array has diameter 0
   */
  public static double diameter(float[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    for (float[] row : rows) {
      if (row.length != width) {
        throw new IllegalArgumentException(
            "rows must all have "
                + width
                + " features but one has "
                + row.length
                + "; pass a rectangular array");
      }
    }
    return rows.length <= EXACT_DIAMETER_MAX_ROWS ? exactDiameter(rows) : boxDiagonal(rows);
  }

  /** Returns the number of diffusion steps T. */
  public int steps() {
    return betas.length;
  }

  /** Returns the name the schedule was built under: {@code linear} or {@code cosine}. */
  public String kind() {
    return kind;
  }

  /** Returns beta_t, the variance of the noise added at step t. */
  public double beta(int t) {
    return betas[checkStep(t)];
  }

  /** Returns alpha_t = 1 - beta_t. */
  public double alpha(int t) {
    return 1.0 - beta(t);
  }

  /** Returns alphaBar_t, the product of alpha_0..alpha_t. */
  public double alphaBar(int t) {
    return alphaBars[checkStep(t)];
  }

  /**
   * Returns the variance of the reverse step's posterior, (1 - alphaBar_{t-1}) / (1 - alphaBar_t) *
   * beta_t with alphaBar_{-1} = 1, which is 0 at t = 0.
   */
  public double posteriorVariance(int t) {
    double previous = t == 0 ? 1.0 : alphaBar(t - 1);
    return (1.0 - previous) / (1.0 - alphaBar(t)) * beta(t);
  }

  /** Returns a copy of the betas, one per step. */
  public double[] betas() {
    return betas.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoiseSchedule
        && kind.equals(((NoiseSchedule) other).kind)
        && Arrays.equals(betas, ((NoiseSchedule) other).betas);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(betas);
  }

  @Override
  public String toString() {
    return "NoiseSchedule["
        + kind
        + ", steps="
        + steps()
        + ", alphaBar(T-1)="
        + alphaBars[steps() - 1]
        + "]";
  }

  private int checkStep(int t) {
    if (t < 0 || t >= betas.length) {
      throw new IllegalArgumentException(
          "step t must be in [0, " + betas.length + ") but was " + t);
    }
    return t;
  }

  private static double cosineSignal(int t, int steps) {
    double angle = ((double) t / steps + COSINE_OFFSET) / (1.0 + COSINE_OFFSET) * Math.PI / 2.0;
    return Math.cos(angle) * Math.cos(angle);
  }

  private static void requireSteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "steps must be >= 1 but was "
              + steps
              + "; set steps to a positive count, or 0 in "
              + "CddpmConfig to take it from the paper's bound");
    }
  }

  private static void requireBetas(double betaMin, double betaMax) {
    if (!(betaMin > 0.0 && betaMin <= betaMax && betaMax < 1.0)) {
      throw new IllegalArgumentException(
          "betaMin and betaMax must satisfy 0 < betaMin <= betaMax < 1 but were betaMin="
              + betaMin
              + ", betaMax="
              + betaMax
              + "; use values such as 1e-4 and 0.2");
    }
  }

  private static double exactDiameter(float[][] rows) {
    double largest = 0.0;
    for (int i = 0; i < rows.length; i++) {
      for (int j = i + 1; j < rows.length; j++) {
        largest = Math.max(largest, squaredDistance(rows[i], rows[j]));
      }
    }
    return Math.sqrt(largest);
  }

  private static double squaredDistance(float[] a, float[] b) {
    double sum = 0.0;
    for (int k = 0; k < a.length; k++) {
      double difference = (double) a[k] - b[k];
      sum += difference * difference;
    }
    return sum;
  }

  private static double boxDiagonal(float[][] rows) {
    int width = rows[0].length;
    double sum = 0.0;
    for (int k = 0; k < width; k++) {
      double low = Double.POSITIVE_INFINITY;
      double high = Double.NEGATIVE_INFINITY;
      for (float[] row : rows) {
        low = Math.min(low, row[k]);
        high = Math.max(high, row[k]);
      }
      sum += (high - low) * (high - low);
    }
    return Math.sqrt(sum);
  }
}
