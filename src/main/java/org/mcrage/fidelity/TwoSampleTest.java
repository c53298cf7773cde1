package org.mcrage.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A classifier two-sample test: a small MLlib random forest learns to tell real rows from synthetic
 * ones, and its cross-validated AUROC says how well it can. 0.5 means the two samples cannot be
 * told apart; 1.0 means they never overlap.
 *
 * <p>Both samples are cut to the smaller one's size (a seeded choice), so the classifier sees
 * balanced classes. Rows are split into {@code folds} seeded folds; every row is scored once by a
 * forest that did not train on it, and the AUROC is computed over all the pooled scores.
 *
 * @param trees trees in the forest; default 20
 * @param maxDepth depth of each tree; default 4
 * @param folds cross-validation folds, at least 2; default 5
 * @param seed seed of the sampling, the folds and the forest
 */
public record TwoSampleTest(int trees, int maxDepth, int folds, long seed) {

  private static final StructType SCHEMA =
      new StructType()
          .add("features", SQLDataTypes.VectorType(), false)
          .add("label", DataTypes.DoubleType, false);

  /** Returns the default test: 20 trees of depth 4, 5 folds. */
  public static TwoSampleTest defaults(long seed) {
    return new TwoSampleTest(20, 4, 5, seed);
  }

  /**
   * Fewest rows of each sample the test runs on; below it the AUROC is reported as NaN (too few
   * rows to tell two distributions apart, and one forest per fold would cost more than it says).
   */
  public static final int MIN_ROWS = 20;

  /** Rows per partition of a fold's training rows. */
  private static final int ROWS_PER_SLICE = 2_000;

  /**
   * Returns the cross-validated AUROC of telling {@code real} from {@code synthetic}; NaN when a
   * side has fewer rows than folds.
   *
   * @param spark the session the forests train in
   * @param real real rows, one array of feature values each
   * @param synthetic synthetic rows of the same width
   */
  public double auroc(SparkSession spark, double[][] real, double[][] synthetic) {
    SplittableRandom random = new SplittableRandom(seed);
    int size = Math.min(real.length, synthetic.length);
    if (size < Math.max(folds, MIN_ROWS)) {
      return Double.NaN;
    }
    double[][] a = Samples.take(real, size, random.split());
    double[][] b = Samples.take(synthetic, size, random.split());
    int[] fold = folds(2 * size, random.split());
    double[] scores = new double[2 * size];
    for (int f = 0; f < folds; f++) {
      scoreFold(spark, a, b, fold, f, scores);
    }
    double[] labels = new double[2 * size];
    for (int i = size; i < 2 * size; i++) {
      labels[i] = 1.0;
    }
    return auroc(scores, labels);
  }

  private void scoreFold(
      SparkSession spark, double[][] a, double[][] b, int[] fold, int f, double[] scores) {
    List<Row> train = new ArrayList<>();
    List<Integer> held = new ArrayList<>();
    for (int i = 0; i < fold.length; i++) {
      if (fold[i] == f) {
        held.add(i);
      } else {
        train.add(row(a, b, i));
      }
    }
    // Slices of a fixed row count, not one local relation: every task then carries a small part
    // of the rows (a local relation put them all in each task, over Spark's 1 MiB warning), and
    // the partitioning, hence the forest, depends on the row count alone.
    int slices = Math.max(1, (train.size() + ROWS_PER_SLICE - 1) / ROWS_PER_SLICE);
    Dataset<Row> data =
        spark.createDataFrame(
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(train, slices),
            SCHEMA);
    RandomForestClassificationModel forest =
        new RandomForestClassifier()
            .setNumTrees(trees)
            .setMaxDepth(maxDepth)
            .setSeed(seed + f)
            .fit(data);
    for (int i : held) {
      Vector features = (Vector) row(a, b, i).get(0);
      Vector probability = forest.predictProbability(features);
      scores[i] = probability.size() > 1 ? probability.apply(1) : 0.5;
    }
  }

  private static Row row(double[][] a, double[][] b, int i) {
    boolean synthetic = i >= a.length;
    double[] values = synthetic ? b[i - a.length] : a[i];
    return RowFactory.create(Vectors.dense(values), synthetic ? 1.0 : 0.0);
  }

  private int[] folds(int count, SplittableRandom random) {
    int[] order = Samples.permutation(count, random);
    int[] fold = new int[count];
    for (int i = 0; i < count; i++) {
      fold[order[i]] = i % folds;
    }
    return fold;
  }

  /**
   * Returns the area under the ROC curve of scores for binary labels (1 positive), with ties
   * counted half: the Mann-Whitney statistic over positives times negatives.
   */
  public static double auroc(double[] scores, double[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
    double rankSumPositive = 0.0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1.0;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] > 0.5) {
          rankSumPositive += rank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
