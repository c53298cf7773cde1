package org.mcrage.baselines;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * SMOTE's core on one group's points, with no Spark: each new point is {@code x + u (n - x)} for a
 * row x drawn at random, n one of x's k nearest neighbours in the group drawn at random, and u
 * uniform in [0, 1).
 *
 * <p>Distances are Euclidean after dividing each feature by its scale (a standard deviation), so
 * that no unit dominates; interpolation is in the original units (the same segment either way).
 * With fewer than k + 1 points, all the others are the neighbours; a single point is copied.
 * Neighbours are exact, from a KD-tree over the group (O(n log n) to build, far below O(n) per
 * drawn row, though a search slows as the data's intrinsic dimension grows); only rows drawn as a
 * base are searched. A group's points, a standardised copy and k indices per row must fit in one
 * task's memory: {@link Smote} splits larger groups into spatial blocks first.
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
    List<Point> generated = new ArrayList<>(count);
    stream(points, count, seed).forEachRemaining(generated::add);
    return generated;
  }

  /**
   * Generates points inside one group lazily, one per {@code next()}: the same points as {@link
   * #generate}, without holding them all.
   *
   * <p>Neighbours come from a KD-tree over the group, built on the first draw, and are searched
   * only for the rows drawn as a base, each once, all on the first draw.
   *
   * @param points the group's points, in a fixed order (the result depends on it)
   * @param count how many to generate
   * @param seed the seed of the draws
   * @return the generated points
   */
  public Iterator<Point> stream(double[][] points, long count, long seed) {
    if (points.length == 0 && count > 0) {
      throw new IllegalArgumentException("Cannot generate points for an empty group");
    }
    return new Draws(points, count, seed);
  }

  /**
   * Returns the indices of a point's nearest neighbours among the others, nearest first; ties are
   * broken by index. A brute-force scan, O(n) per point: the definition the KD-tree of {@link
   * #stream} reproduces, kept for checks.
   *
   * @param points the group's points
   * @param of the point's index
   * @return up to k indices
   */
  public int[] nearest(double[][] points, int of) {
    double[] standardised = new double[points.length * scale.length];
    for (int i = 0; i < points.length; i++) {
      KdTree.standardise(points[i], scale, standardised, i * scale.length);
    }
    Integer[] others = new Integer[points.length - 1];
    double[] distance = new double[points.length];
    int next = 0;
    for (int j = 0; j < points.length; j++) {
      if (j != of) {
        distance[j] = squaredDistance(standardised, of, j);
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

  private double squaredDistance(double[] standardised, int a, int b) {
    int dims = scale.length;
    double sum = 0;
    for (int f = 0; f < dims; f++) {
      double d = standardised[a * dims + f] - standardised[b * dims + f];
      sum += d * d;
    }
    return Double.isNaN(sum) ? Double.POSITIVE_INFINITY : sum;
  }

  /**
   * The seeded draws of one group. The draws are replayed once first to learn which rows are drawn
   * as a base (the neighbour picked is a position in the list, drawn without knowing the list), so
   * that only those rows are searched, in one pass over the tree in its own order.
   */
  private final class Draws implements Iterator<Point> {
    private final double[][] points;
    private final long count;
    private final long seed;
    private final int keep;
    private SplittableRandom random;
    private int[] neighbours;
    private long left;

    Draws(double[][] points, long count, long seed) {
      this.points = points;
      this.count = count;
      this.seed = seed;
      this.keep = neighboursFor(points.length);
      this.left = count;
    }

    @Override
    public boolean hasNext() {
      return left > 0;
    }

    @Override
    public Point next() {
      if (left <= 0) {
        throw new NoSuchElementException();
      }
      if (random == null) {
        neighbours = keep == 0 ? new int[0] : searchDrawnBases();
        random = new SplittableRandom(seed);
      }
      left--;
      int base = random.nextInt(points.length);
      if (keep == 0) {
        return new Point(base, base, 0.0, points[base].clone());
      }
      int neighbour = neighbours[base * keep + random.nextInt(keep)];
      double gap = random.nextDouble();
      return new Point(base, neighbour, gap, between(points[base], points[neighbour], gap));
    }

    private int[] searchDrawnBases() {
      if ((long) points.length * keep > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Cannot search " + points.length + " rows in one task; split the group first");
      }
      boolean[] drawn = new boolean[points.length];
      SplittableRandom replay = new SplittableRandom(seed);
      for (long i = 0; i < count; i++) {
        drawn[replay.nextInt(points.length)] = true;
        replay.nextInt(keep);
        replay.nextDouble();
      }
      return KdTree.build(points, scale).nearestOfEach(drawn, keep);
    }
  }

  private static double[] between(double[] from, double[] to, double gap) {
    double[] point = new double[from.length];
    for (int f = 0; f < from.length; f++) {
      point[f] = from[f] + gap * (to[f] - from[f]);
    }
    return point;
  }
}
