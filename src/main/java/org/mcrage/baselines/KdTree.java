package org.mcrage.baselines;

/**
 * Exact k nearest neighbours among a fixed set of points, by a KD-tree over their standardised
 * coordinates: O(n log n) to build, well under O(n) per query in few dimensions.
 *
 * <p>Coordinates are divided by each feature's scale before anything else, so distances are
 * Euclidean in standard units. Each node keeps the bounding box of its points, and a query skips a
 * node whose box is farther than its k-th nearest so far. A query returns the same list as a
 * brute-force scan under the same distance: nearest first, ties broken by the lower index, the
 * queried point itself left out. A tree answers one query at a time (it is not thread-safe).
 */
public final class KdTree {
  private static final int LEAF_SIZE = 32;

  /** Relative slack on the pruning bound, so rounding never prunes a tied point. */
  private static final double SLACK = 1 + 1e-9;

  private final int dims;
  private double[] coords;
  private final int[] order;
  private final int[] positionOf;

  private int nodes;
  private int[] start;
  private int[] end;
  private int[] below;
  private int[] above;
  private double[] low;
  private double[] high;

  private final double[] query;
  private int found;
  private double[] bestDistance;
  private int[] bestIndex;

  private KdTree(double[] coords, int dims, int rows) {
    this.dims = dims;
    this.coords = coords;
    this.order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    this.positionOf = new int[rows];
    int capacity = Math.max(1, 4 * rows / LEAF_SIZE + 1);
    this.start = new int[capacity];
    this.end = new int[capacity];
    this.below = new int[capacity];
    this.above = new int[capacity];
    this.low = new double[capacity * dims];
    this.high = new double[capacity * dims];
    this.query = new double[dims];
  }

  /**
   * Builds the tree.
   *
   * @param points the points, all of the same length; not modified
   * @param scale each feature's scale (a standard deviation; all 1: plain Euclidean)
   * @return the tree
   */
  public static KdTree build(double[][] points, double[] scale) {
    int dims = scale.length;
    double[] coords = new double[points.length * dims];
    for (int i = 0; i < points.length; i++) {
      standardise(points[i], scale, coords, i * dims);
    }
    KdTree tree = new KdTree(coords, dims, points.length);
    if (points.length > 0) {
      tree.split(0, points.length);
    }
    tree.storeInTreeOrder();
    return tree;
  }

  /**
   * Writes a point's standardised coordinates; the tree and brute-force scans use this one
   * computation, so their distances agree to the last bit.
   *
   * @param point the point
   * @param scale each feature's scale
   * @param into where to write
   * @param offset the first position written
   */
  static void standardise(double[] point, double[] scale, double[] into, int offset) {
    for (int f = 0; f < scale.length; f++) {
      into[offset + f] = point[f] / scale[f];
    }
  }

  /** Returns how many points the tree holds. */
  public int size() {
    return order.length;
  }

  /**
   * Returns the k nearest other points of one of the tree's points.
   *
   * @param of the point's index in the array the tree was built from
   * @param k how many neighbours (fewer when the tree holds fewer other points)
   * @return their indices, nearest first, ties by the lower index
   */
  public int[] nearest(int of, int k) {
    System.arraycopy(coords, positionOf[of] * dims, query, 0, dims);
    return search(of, k);
  }

  /**
   * Returns the k nearest points of the tree to an outside point.
   *
   * @param point the point, in original units
   * @param scale each feature's scale, as given to {@link #build}
   * @param k how many neighbours
   * @return their indices, nearest first, ties by the lower index
   */
  public int[] nearest(double[] point, double[] scale, int k) {
    standardise(point, scale, query, 0);
    return search(-1, k);
  }

  /**
   * Returns the k nearest other points of each wanted point, searched in the tree's leaf order so
   * that consecutive queries read the same nodes (markedly faster than a random order).
   *
   * @param wanted which points to search, by index; others are left as -1
   * @param k neighbours per point (fewer when the tree holds fewer other points)
   * @return each point's neighbours at [index * k', (index + 1) * k'), k' = min(k, size - 1),
   *     nearest first, ties by the lower index
   */
  public int[] nearestOfEach(boolean[] wanted, int k) {
    int keep = Math.max(0, Math.min(k, order.length - 1));
    int[] neighbours = new int[order.length * keep];
    java.util.Arrays.fill(neighbours, -1);
    for (int position = 0; position < order.length; position++) {
      int index = order[position];
      if (wanted[index]) {
        System.arraycopy(nearest(index, keep), 0, neighbours, index * keep, keep);
      }
    }
    return neighbours;
  }

  private int[] search(int excluded, int k) {
    int keep = Math.max(0, Math.min(k, order.length - (excluded >= 0 ? 1 : 0)));
    found = 0;
    bestDistance = new double[keep];
    bestIndex = new int[keep];
    if (keep > 0) {
      visit(0, excluded);
    }
    return bestIndex;
  }

  /** Lays the coordinates out in leaf order, so that a leaf's points are read from one block. */
  private void storeInTreeOrder() {
    double[] ordered = new double[coords.length];
    for (int position = 0; position < order.length; position++) {
      System.arraycopy(coords, order[position] * dims, ordered, position * dims, dims);
      positionOf[order[position]] = position;
    }
    coords = ordered;
  }

  /** Adds the node of positions [from, to) and its subtree; returns its number. */
  private int split(int from, int to) {
    int node = nodes++;
    start[node] = from;
    end[node] = to;
    below[node] = -1;
    int dim = boundAndWidest(node);
    if (to - from > LEAF_SIZE && dim >= 0) {
      int middle = (from + to) >>> 1;
      select(from, to - 1, middle, dim);
      below[node] = split(from, middle);
      above[node] = split(middle, to);
    }
    return node;
  }

  /** Stores a node's bounding box; returns its widest dimension, or -1 when it is one point. */
  private int boundAndWidest(int node) {
    int widest = -1;
    double widestSpread = 0;
    for (int f = 0; f < dims; f++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = start[node]; i < end[node]; i++) {
        double value = coords[order[i] * dims + f];
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      low[node * dims + f] = min;
      high[node * dims + f] = max;
      if (max - min > widestSpread) {
        widestSpread = max - min;
        widest = f;
      }
    }
    return widest;
  }

  /** Quickselect: puts the k-th smallest value of {@code dim} at k, smaller ones before it. */
  private void select(int from, int to, int k, int dim) {
    int lowEnd = from;
    int highEnd = to;
    while (highEnd > lowEnd) {
      double pivot = coords[order[(lowEnd + highEnd) >>> 1] * dims + dim];
      int i = lowEnd;
      int j = highEnd;
      while (i <= j) {
        while (coords[order[i] * dims + dim] < pivot) {
          i++;
        }
        while (coords[order[j] * dims + dim] > pivot) {
          j--;
        }
        if (i <= j) {
          int swap = order[i];
          order[i++] = order[j];
          order[j--] = swap;
        }
      }
      if (k <= j) {
        highEnd = j;
      } else if (k >= i) {
        lowEnd = i;
      } else {
        return;
      }
    }
  }

  /** Searches a node, nearer child first, skipping a child whose box cannot hold a closer point. */
  private void visit(int node, int excluded) {
    int first = below[node];
    if (first < 0) {
      scan(node, excluded);
      return;
    }
    int second = above[node];
    double firstBound = boxDistance(first);
    double secondBound = boxDistance(second);
    if (secondBound < firstBound) {
      int swap = first;
      first = second;
      second = swap;
      double swapBound = firstBound;
      firstBound = secondBound;
      secondBound = swapBound;
    }
    if (reachable(firstBound)) {
      visit(first, excluded);
    }
    if (reachable(secondBound)) {
      visit(second, excluded);
    }
  }

  private boolean reachable(double bound) {
    return found < bestIndex.length || bound <= bestDistance[found - 1] * SLACK;
  }

  private double boxDistance(int node) {
    double sum = 0;
    int base = node * dims;
    for (int f = 0; f < dims; f++) {
      double q = query[f];
      double d =
          q < low[base + f] ? low[base + f] - q : q > high[base + f] ? q - high[base + f] : 0;
      sum += d * d;
    }
    return sum;
  }

  private void scan(int leaf, int excluded) {
    int keep = bestIndex.length;
    for (int position = start[leaf]; position < end[leaf]; position++) {
      int index = order[position];
      if (index == excluded) {
        continue;
      }
      double worst = found < keep ? Double.POSITIVE_INFINITY : bestDistance[keep - 1];
      double distance = 0;
      int base = position * dims;
      for (int f = 0; f < dims; f++) {
        double d = query[f] - coords[base + f];
        distance += d * d;
      }
      if (found < keep || distance < worst || (distance == worst && index < bestIndex[keep - 1])) {
        insert(Double.isNaN(distance) ? Double.POSITIVE_INFINITY : distance, index);
      }
    }
  }

  private void insert(double distance, int index) {
    int keep = bestIndex.length;
    int at = Math.min(found, keep - 1);
    while (at > 0
        && (bestDistance[at - 1] > distance
            || (bestDistance[at - 1] == distance && bestIndex[at - 1] > index))) {
      bestDistance[at] = bestDistance[at - 1];
      bestIndex[at] = bestIndex[at - 1];
      at--;
    }
    bestDistance[at] = distance;
    bestIndex[at] = index;
    found = Math.min(found + 1, keep);
  }
}
