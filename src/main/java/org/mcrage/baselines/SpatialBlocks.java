package org.mcrage.baselines;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a group too large for one task into blocks of nearby rows, for approximate SMOTE: exact
 * neighbours are then searched inside each block, so a row's neighbours are its nearest in its
 * block.
 *
 * <p>Blocks are slabs along the group's first principal axis (in standardised units, estimated on a
 * sample), cut at quantiles of the sample's projections, so that they hold about as many rows each
 * and a row's near neighbours mostly share its slab. Rows near a cut lose the neighbours across it;
 * {@link #recallAtK} measures how many. Slabs along one axis suit a few blocks; with many (tens of
 * blocks) a recursive split would lose fewer neighbours, which this class does not do.
 */
public final class SpatialBlocks implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Sample rows that fix the axis and cuts of one group. */
  public static final int SAMPLE_ROWS = 100_000;

  private static final int POWER_ITERATIONS = 100;

  private final double[] scale;
  private final double[] axis;
  private final double[] cuts;

  private SpatialBlocks(double[] scale, double[] axis, double[] cuts) {
    this.scale = scale;
    this.axis = axis;
    this.cuts = cuts;
  }

  /**
   * Returns how many blocks a group of {@code rows} rows needs so that each holds at most about
   * {@code maxBlockRows}.
   */
  public static int blocksFor(long rows, long maxBlockRows) {
    return (int) Math.max(1, (rows + maxBlockRows - 1) / maxBlockRows);
  }

  /**
   * Fits the blocks of one group from a sample of its rows.
   *
   * @param sample rows of the group, in any order (sorted here, so the result does not depend on
   *     it); at least one
   * @param scale each feature's scale
   * @param blocks how many blocks
   * @return the blocks
   */
  public static SpatialBlocks fit(double[][] sample, double[] scale, int blocks) {
    double[][] sorted = sample.clone();
    Arrays.sort(sorted, Arrays::compare);
    double[][] standardised = new double[sorted.length][scale.length];
    for (int i = 0; i < sorted.length; i++) {
      KdTree.standardise(sorted[i], scale, standardised[i], 0);
    }
    double[] axis = principalAxis(standardised);

    double[] projections = new double[standardised.length];
    for (int i = 0; i < projections.length; i++) {
      projections[i] = dot(axis, standardised[i]);
    }
    Arrays.sort(projections);
    double[] cuts = new double[blocks - 1];
    for (int b = 1; b < blocks; b++) {
      cuts[b - 1] = projections[(int) ((long) b * projections.length / blocks)];
    }
    return new SpatialBlocks(scale.clone(), axis, cuts);
  }

  /** Returns how many blocks there are. */
  public int count() {
    return cuts.length + 1;
  }

  /**
   * Returns the block of a row.
   *
   * @param point the row's features, in original units
   * @return its block, in [0, {@link #count()})
   */
  public int blockOf(double[] point) {
    double projection = 0;
    for (int f = 0; f < axis.length; f++) {
      projection += axis[f] * (point[f] / scale[f]);
    }
    int found = Arrays.binarySearch(cuts, projection);
    int block = found >= 0 ? found + 1 : -found - 1;
    while (block < cuts.length && cuts[block] == projection) {
      block++;
    }
    return block;
  }

  /**
   * Splits points into their blocks.
   *
   * @param points the points
   * @return for each block, the indices of its points in ascending order
   */
  public int[][] split(double[][] points) {
    List<List<Integer>> members = new ArrayList<>();
    for (int b = 0; b < count(); b++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < points.length; i++) {
      members.get(blockOf(points[i])).add(i);
    }
    return members.stream()
        .map(list -> list.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new);
  }

  /**
   * Measures the recall at k of block-wise neighbours: for sampled query rows, the share of their
   * exact k nearest neighbours in the whole set that are also their k nearest within their block,
   * with blocks fitted as {@link Smote} fits them.
   *
   * @param points the group's points
   * @param scale each feature's scale
   * @param k neighbours per row
   * @param maxBlockRows the most rows of a block (as {@code smote.exact-max-rows})
   * @param queries how many query rows to sample
   * @param seed the seed of the samples
   * @return the mean recall over the queries, in [0, 1] (1 when one block holds every row)
   */
  public static double recallAtK(
      double[][] points, double[] scale, int k, int maxBlockRows, int queries, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    SpatialBlocks blocks =
        fit(sample(points, SAMPLE_ROWS, random), scale, blocksFor(points.length, maxBlockRows));
    int[][] members = blocks.split(points);
    int[] blockOf = new int[points.length];
    int[] positionInBlock = new int[points.length];
    KdTree[] trees = new KdTree[members.length];
    for (int b = 0; b < members.length; b++) {
      double[][] blockPoints = new double[members[b].length][];
      for (int i = 0; i < members[b].length; i++) {
        blockPoints[i] = points[members[b][i]];
        blockOf[members[b][i]] = b;
        positionInBlock[members[b][i]] = i;
      }
      trees[b] = KdTree.build(blockPoints, scale);
    }
    KdTree whole = KdTree.build(points, scale);

    double total = 0;
    for (int q = 0; q < queries; q++) {
      int query = random.nextInt(points.length);
      int[] exact = whole.nearest(query, k);
      int block = blockOf[query];
      int[] approximate = trees[block].nearest(positionInBlock[query], k);
      total += shared(exact, approximate, members[block]) / (double) Math.max(1, exact.length);
    }
    return queries == 0 ? 1.0 : total / queries;
  }

  private static int shared(int[] exact, int[] approximate, int[] blockMembers) {
    int shared = 0;
    for (int a : approximate) {
      int original = blockMembers[a];
      for (int e : exact) {
        if (e == original) {
          shared++;
          break;
        }
      }
    }
    return shared;
  }

  private static double[][] sample(double[][] points, int rows, SplittableRandom random) {
    if (points.length <= rows) {
      return points;
    }
    double[][] sample = new double[rows][];
    for (int i = 0; i < rows; i++) {
      sample[i] = points[random.nextInt(points.length)];
    }
    return sample;
  }

  /** Returns the unit direction of largest variance, by power iteration on the covariance. */
  private static double[] principalAxis(double[][] standardised) {
    int dims = standardised[0].length;
    double[] mean = new double[dims];
    for (double[] point : standardised) {
      for (int f = 0; f < dims; f++) {
        mean[f] += point[f] / standardised.length;
      }
    }
    double[][] covariance = new double[dims][dims];
    for (double[] point : standardised) {
      for (int a = 0; a < dims; a++) {
        for (int b = 0; b < dims; b++) {
          covariance[a][b] += (point[a] - mean[a]) * (point[b] - mean[b]);
        }
      }
    }
    double[] axis = new double[dims];
    for (int f = 0; f < dims; f++) {
      axis[f] = 1.0 / (f + 1);
    }
    for (int iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
      double[] next = new double[dims];
      for (int a = 0; a < dims; a++) {
        next[a] = dot(covariance[a], axis);
      }
      double norm = Math.sqrt(dot(next, next));
      if (!(norm > 0) || !Double.isFinite(norm)) {
        break;
      }
      for (int a = 0; a < dims; a++) {
        axis[a] = next[a] / norm;
      }
    }
    return axis;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int f = 0; f < a.length; f++) {
      sum += a[f] * b[f];
    }
    return sum;
  }
}
