package org.mcrage.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * A model's predictions on the test rows, with each row's demographic values, and the metrics of
 * every slice: overall, each value of each demographic attribute ({@code SEX=F}) and, with two or
 * more attributes, each intersection ({@code SEX=F & RACE=B}).
 *
 * @param labels true labels, 1 positive
 * @param predicted predicted labels, 1 positive
 * @param scores predicted probabilities of the positive label
 * @param attributes the demographic columns
 * @param values each row's demographic values as text, in attribute order
 */
public record Predictions(
    int[] labels, int[] predicted, double[] scores, List<String> attributes, String[][] values) {

  /** Worst accuracy over the intersectional groups. */
  public static final String WORST_GROUP_ACCURACY = "worst_group_accuracy";

  /** Largest TPR difference between two intersectional groups. */
  public static final String TPR_GAP = "tpr_gap";

  /** Largest FPR difference between two intersectional groups. */
  public static final String FPR_GAP = "fpr_gap";

  /** The larger of the TPR and FPR gaps. */
  public static final String EQUALIZED_ODDS = "equalized_odds_difference";

  /** Largest difference in the share predicted positive between two intersectional groups. */
  public static final String DEMOGRAPHIC_PARITY = "demographic_parity_difference";

  /** Returns the metrics of all test rows. */
  public Map<String, Double> overall() {
    return slice(i -> true);
  }

  /**
   * Returns the metrics of every attribute value and every intersection, by label.
   *
   * @return slice label to metrics, attribute values first, sorted
   */
  public Map<String, Map<String, Double>> byGroup() {
    Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
    for (int a = 0; a < attributes.size(); a++) {
      int attribute = a;
      for (String value : distinct(attribute)) {
        groups.put(attributes.get(a) + "=" + value, slice(i -> value.equals(values[i][attribute])));
      }
    }
    if (attributes.size() > 1) {
      intersections().forEach((label, rows) -> groups.put(label, slice(rows)));
    }
    return groups;
  }

  /**
   * Returns the labels of the intersectional groups: the attribute values with one attribute.
   *
   * @return labels, as keys of {@link #byGroup()}
   */
  public List<String> intersectionalGroups() {
    if (attributes.size() == 1) {
      return distinct(0).stream().map(value -> attributes.get(0) + "=" + value).toList();
    }
    return new ArrayList<>(intersections().keySet());
  }

  /**
   * Summarises the fairness of the predictions over the intersectional groups.
   *
   * @param byGroup the slice metrics, from {@link #byGroup()}
   * @param groups the intersectional groups' labels
   * @return worst-group accuracy and the gaps, NaN where fewer than two groups define a metric
   */
  public static Map<String, Double> fairness(
      Map<String, Map<String, Double>> byGroup, List<String> groups) {
    Map<String, Double> summary = new LinkedHashMap<>();
    summary.put(WORST_GROUP_ACCURACY, extreme(byGroup, groups, BinaryMetrics.ACCURACY, true));
    double tprGap = gap(byGroup, groups, BinaryMetrics.TPR);
    double fprGap = gap(byGroup, groups, BinaryMetrics.FPR);
    summary.put(TPR_GAP, tprGap);
    summary.put(FPR_GAP, fprGap);
    summary.put(
        EQUALIZED_ODDS,
        Double.isNaN(tprGap) || Double.isNaN(fprGap) ? Double.NaN : Math.max(tprGap, fprGap));
    summary.put(DEMOGRAPHIC_PARITY, gap(byGroup, groups, BinaryMetrics.POSITIVE_RATE));
    return summary;
  }

  private static double gap(
      Map<String, Map<String, Double>> byGroup, List<String> groups, String metric) {
    double[] defined = defined(byGroup, groups, metric);
    if (defined.length < 2) {
      return Double.NaN;
    }
    return java.util.Arrays.stream(defined).max().getAsDouble()
        - java.util.Arrays.stream(defined).min().getAsDouble();
  }

  private static double extreme(
      Map<String, Map<String, Double>> byGroup, List<String> groups, String metric, boolean min) {
    double[] defined = defined(byGroup, groups, metric);
    if (defined.length == 0) {
      return Double.NaN;
    }
    java.util.stream.DoubleStream values = java.util.Arrays.stream(defined);
    return min ? values.min().getAsDouble() : values.max().getAsDouble();
  }

  private static double[] defined(
      Map<String, Map<String, Double>> byGroup, List<String> groups, String metric) {
    return groups.stream()
        .map(group -> byGroup.getOrDefault(group, Map.of()).get(metric))
        .filter(value -> value != null && !value.isNaN())
        .mapToDouble(Double::doubleValue)
        .toArray();
  }

  private Map<String, IntPredicate> intersections() {
    Map<String, IntPredicate> groups = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      StringBuilder label = new StringBuilder();
      for (int a = 0; a < attributes.size(); a++) {
        label
            .append(a == 0 ? "" : " & ")
            .append(attributes.get(a))
            .append('=')
            .append(values[i][a]);
      }
      String[] key = values[i];
      groups.putIfAbsent(label.toString(), row -> java.util.Arrays.equals(values[row], key));
    }
    return groups;
  }

  private List<String> distinct(int attribute) {
    java.util.TreeSet<String> seen = new java.util.TreeSet<>();
    for (String[] row : values) {
      seen.add(row[attribute]);
    }
    return new ArrayList<>(seen);
  }

  private Map<String, Double> slice(IntPredicate keep) {
    int count = 0;
    for (int i = 0; i < labels.length; i++) {
      count += keep.test(i) ? 1 : 0;
    }
    int[] l = new int[count];
    int[] p = new int[count];
    double[] s = new double[count];
    int next = 0;
    for (int i = 0; i < labels.length; i++) {
      if (keep.test(i)) {
        l[next] = labels[i];
        p[next] = predicted[i];
        s[next++] = scores[i];
      }
    }
    return BinaryMetrics.compute(l, p, s);
  }
}
