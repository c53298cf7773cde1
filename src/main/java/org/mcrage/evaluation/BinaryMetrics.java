package org.mcrage.evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary classification metrics of one slice of the test rows, computed on the driver from labels
 * (1 positive, 0 negative), hard predictions and predicted probabilities of the positive label.
 *
 * <p>A metric that is undefined on a slice (TPR without positives, AUROC with one class) is NaN,
 * written as null in the report.
 *
 * @param truePositives positives predicted positive
 * @param falsePositives negatives predicted positive
 * @param trueNegatives negatives predicted negative
 * @param falseNegatives positives predicted negative
 */
public record BinaryMetrics(
    long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

  /** Metric names, in report order. */
  public static final String ROWS = "rows";

  /** Accuracy. */
  public static final String ACCURACY = "accuracy";

  /** F1 of the positive label. */
  public static final String F1 = "f1";

  /** AUROC from predicted probabilities. */
  public static final String AUROC = "auroc";

  /** AUROC from hard labels, as the paper's notebook computed it. */
  public static final String AUROC_HARD = "auroc_hard_labels";

  /** True positive rate (recall). */
  public static final String TPR = "tpr";

  /** False positive rate. */
  public static final String FPR = "fpr";

  /** Share of rows predicted positive. */
  public static final String POSITIVE_RATE = "positive_rate";

  /**
   * Counts the confusion matrix.
   *
   * @param labels true labels, 1 or 0
   * @param predicted predicted labels, 1 or 0
   * @return the counts
   */
  public static BinaryMetrics of(int[] labels, int[] predicted) {
    long tp = 0;
    long fp = 0;
    long tn = 0;
    long fn = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1) {
        tp += predicted[i] == 1 ? 1 : 0;
        fn += predicted[i] == 1 ? 0 : 1;
      } else {
        fp += predicted[i] == 1 ? 1 : 0;
        tn += predicted[i] == 1 ? 0 : 1;
      }
    }
    return new BinaryMetrics(tp, fp, tn, fn);
  }

  /** Returns the number of rows. */
  public long rows() {
    return truePositives + falsePositives + trueNegatives + falseNegatives;
  }

  /** Returns (TP + TN) / rows. */
  public double accuracy() {
    return ratio(truePositives + trueNegatives, rows());
  }

  /** Returns TP / (TP + FN). */
  public double truePositiveRate() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /** Returns FP / (FP + TN). */
  public double falsePositiveRate() {
    return ratio(falsePositives, falsePositives + trueNegatives);
  }

  /** Returns the share predicted positive. */
  public double positiveRate() {
    return ratio(truePositives + falsePositives, rows());
  }

  /** Returns 2 TP / (2 TP + FP + FN): F1 of the positive label (NaN without any positive). */
  public double f1() {
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
  }

  /**
   * Returns the area under the ROC curve: the chance a random positive scores above a random
   * negative, ties counting one half (the Mann-Whitney statistic with mid-ranks).
   *
   * @param labels true labels, 1 or 0
   * @param scores scores, higher meaning more likely positive
   * @return the AUROC, NaN unless both classes occur
   */
  public static double auroc(int[] labels, double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double positiveRankSum = 0;
    long positives = 0;
    int start = 0;
    while (start < order.length) {
      int end = start;
      while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
        end++;
      }
      double midRank = (start + end) / 2.0 + 1;
      for (int i = start; i <= end; i++) {
        if (labels[order[i]] == 1) {
          positiveRankSum += midRank;
          positives++;
        }
      }
      start = end + 1;
    }
    long negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * Computes every metric of a slice.
   *
   * @param labels true labels, 1 or 0
   * @param predicted predicted labels, 1 or 0
   * @param scores predicted probabilities of the positive label
   * @return metric name to value, in report order
   */
  public static Map<String, Double> compute(int[] labels, int[] predicted, double[] scores) {
    BinaryMetrics counts = of(labels, predicted);
    double[] hard = Arrays.stream(predicted).asDoubleStream().toArray();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(ROWS, (double) counts.rows());
    metrics.put(ACCURACY, counts.accuracy());
    metrics.put(F1, counts.f1());
    metrics.put(AUROC, auroc(labels, scores));
    metrics.put(AUROC_HARD, auroc(labels, hard));
    metrics.put(TPR, counts.truePositiveRate());
    metrics.put(FPR, counts.falsePositiveRate());
    metrics.put(POSITIVE_RATE, counts.positiveRate());
    return metrics;
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }
}
