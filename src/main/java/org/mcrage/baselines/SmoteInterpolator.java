package org.mcrage.baselines;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SMOTE's core on one group's points, with no Spark: each new point is {@code x + u (n - x)} for a
 * row x drawn at random, n one of x's k nearest neighbours in the group drawn at random, and u
 * uniform in [0, 1).
 *
 * <p>Distances are Euclidean after dividing each feature by its scale (a standard deviation), so
 * that no unit dominates; interpolation is in the original units (the same segment either way).
 * With fewer than k + 1 points, all the others are the neighbours; a single point is copied.
 * Neighbour lists are computed by brute force, O(n^2) per group: fine for groups of tens of
 * thousands of rows, slow beyond (a known limit; a tree or sampled candidate set would lift it).
 */
public final class SmoteInterpolator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final double[] scale;

  /**
   * One generated point and where it came from.
   *
   * @param base index of the row it starts from
   * @param neighbour index of the neighbour it moves towards (the base itself for a lone row)
   * @param gap how far along the segment, in [0, 1)
   * @param values the point
   */
  public record Point(int base, int neighbour, double gap, double[] values) {}

  /**
   * Creates an interpolator.
   *
   * @param k neighbours per row (5 in the paper's baseline)
   * @param scale each feature's scale for distances (all 1: plain Euclidean)
   */
  public SmoteInterpolator(int k, double[] scale) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    this.k = k;
    this.scale = scale.clone();
  }

  /** Returns how many neighbours a group of {@code rows} points uses: min(k, rows - 1). */
  public int neighboursFor(long rows) {
    return (int) Math.max(0, Math.min(k, rows - 1));
  }

  /**
   * Generates points inside one group.
   *
   * @param points the group's points, in a fixed order (the result depends on it)
   * @param count how many to generate
   * @param seed the seed of the draws
   * @return the generated points
   */
  public List<Point> generate(double[][] points, int count, long seed) {
    if (points.length == 0 && count > 0) {
      throw new IllegalArgumentException("Cannot generate points for an empty group");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[][] neighbours = new int[points.length][];
    List<Point> generated = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int base = random.nextInt(points.length);
      if (neighbours[base] == null) {
        neighbours[base] = nearest(points, base);
      }
      int[] candidates = neighbours[base];
      if (candidates.length == 0) {
        generated.add(new Point(base, base, 0.0, points[base].clone()));
        continue;
      }
      int neighbour = candidates[random.nextInt(candidates.length)];
      double gap = random.nextDouble();
      generated.add(new Point(base, neighbour, gap, between(points[base], points[neighbour], gap)));
    }
    return generated;
  }

  /**
   * Returns the indices of a point's nearest neighbours among the others, nearest first; ties are
   * broken by index.
   *
   * @param points the group's points
   * @param of the point's index
   * @return up to k indices
   */
  public int[] nearest(double[][] points, int of) {
    Integer[] others = new Integer[points.length - 1];
    double[] distance = new double[points.length];
    int next = 0;
    for (int j = 0; j < points.length; j++) {
      if (j != of) {
        distance[j] = squaredDistance(points[of], points[j]);
        others[next++] = j;
      }
    }
    Arrays.sort(
        others, Comparator.<Integer>comparingDouble(j -> distance[j]).thenComparingInt(j -> j));
    int keep = neighboursFor(points.length);
    int[] nearest = new int[keep];
    for (int j = 0; j < keep; j++) {
      nearest[j] = others[j];
    }
    return nearest;
  }

  private double squaredDistance(double[] a, double[] b) {
    double sum = 0;
    for (int f = 0; f < a.length; f++) {
      double d = (a[f] - b[f]) / scale[f];
      sum += d * d;
    }
    return sum;
  }

  private static double[] between(double[] from, double[] to, double gap) {
    double[] point = new double[from.length];
    for (int f = 0; f < from.length; f++) {
      point[f] = from[f] + gap * (to[f] - from[f]);
    }
    return point;
  }
}
