package org.mcrage.fidelity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How closely synthetic rows follow the real rows, per group and over all groups pooled, on the
 * original units.
 *
 * <p>Per feature: the two-sample KS statistic; the Wasserstein-1 distance and the mean difference
 * (synthetic minus real), both in units of the real standard deviation; and the ratio of the
 * synthetic to the real standard deviation. Per group: the largest absolute difference between the
 * real and synthetic correlation matrices and the AUROC of a {@link TwoSampleTest} (0.5 is
 * perfect). The two-sample test may use a different real sample (held-out rows) than the
 * distribution statistics.
 *
 * @param groups one entry per group that has both real and synthetic rows, ascending
 * @param overall all those groups' rows pooled
 */
public record FidelityReport(List<GroupFidelity> groups, GroupFidelity overall) {

  /**
   * One feature's statistics.
   *
   * @param name the feature column
   * @param ks the two-sample Kolmogorov-Smirnov statistic
   * @param wasserstein the Wasserstein-1 distance in real standard deviations
   * @param meanDifference synthetic minus real mean, in real standard deviations
   * @param sdRatio synthetic over real standard deviation
   */
  public record FeatureFidelity(
      String name, double ks, double wasserstein, double meanDifference, double sdRatio) {}

  /**
   * One group's statistics (group -1 is the pooled overall entry).
   *
   * @param group the group phi, -1 for all groups pooled
   * @param realRows real rows compared
   * @param syntheticRows synthetic rows compared
   * @param features per-feature statistics, in feature order
   * @param maxCorrelationDifference largest absolute difference of the correlation matrices
   * @param twoSampleAuroc the classifier two-sample AUROC, NaN when not computed
   */
  public record GroupFidelity(
      int group,
      int realRows,
      int syntheticRows,
      List<FeatureFidelity> features,
      double maxCorrelationDifference,
      double twoSampleAuroc) {

    /** Returns the mean over features of the absolute mean difference, in real SDs. */
    public double meanAbsMeanDifference() {
      return features.stream().mapToDouble(f -> Math.abs(f.meanDifference())).average().orElse(0);
    }

    /** Returns the largest absolute mean difference of a feature, in real SDs. */
    public double maxAbsMeanDifference() {
      return features.stream().mapToDouble(f -> Math.abs(f.meanDifference())).max().orElse(0);
    }

    /** Returns the geometric mean over features of the SD ratio. */
    public double meanSdRatio() {
      return Math.exp(
          features.stream().mapToDouble(f -> Math.log(f.sdRatio())).average().orElse(0));
    }

    /** Returns the mean KS statistic over features. */
    public double meanKs() {
      return features.stream().mapToDouble(FeatureFidelity::ks).average().orElse(0);
    }

    /** Returns the mean Wasserstein-1 distance over features, in real SDs. */
    public double meanWasserstein() {
      return features.stream().mapToDouble(FeatureFidelity::wasserstein).average().orElse(0);
    }

    /** Returns the statistics as a JSON-ready map. */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("group", group < 0 ? "all" : group);
      map.put("real_rows", realRows);
      map.put("synthetic_rows", syntheticRows);
      map.put("mean_abs_mean_difference_sd", finite(meanAbsMeanDifference()));
      map.put("max_abs_mean_difference_sd", finite(maxAbsMeanDifference()));
      map.put("mean_sd_ratio", finite(meanSdRatio()));
      map.put("mean_ks", finite(meanKs()));
      map.put("mean_wasserstein_sd", finite(meanWasserstein()));
      map.put("max_correlation_difference", finite(maxCorrelationDifference));
      map.put("two_sample_auroc", finite(twoSampleAuroc));
      List<Map<String, Object>> perFeature = new ArrayList<>();
      for (FeatureFidelity f : features) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", f.name());
        entry.put("ks", finite(f.ks()));
        entry.put("wasserstein_sd", finite(f.wasserstein()));
        entry.put("mean_difference_sd", finite(f.meanDifference()));
        entry.put("sd_ratio", finite(f.sdRatio()));
        perFeature.add(entry);
      }
      map.put("features", perFeature);
      return map;
    }
  }

  /**
   * Computes the report, with the same real rows for the distribution statistics and the two-sample
   * test.
   *
   * @param spark the session (the two-sample test trains in it)
   * @param real real rows with the feature columns and {@code mcrage_group}
   * @param synthetic synthetic rows, same columns
   * @param features the feature columns
   * @param options caps, seed and the two-sample test
   */
  public static FidelityReport compute(
      SparkSession spark,
      Dataset<Row> real,
      Dataset<Row> synthetic,
      List<String> features,
      FidelityOptions options) {
    Map<Integer, double[][]> realRows =
        GroupRows.collect(real, features, options.maxRowsPerGroup(), options.seed());
    return compute(
        spark, realRows, realRows, collect(synthetic, features, options), features, options);
  }

  /**
   * Computes the report, comparing distributions with {@code real} and running the two-sample test
   * against {@code heldOutReal} (rows the generator never saw).
   *
   * @param spark the session (the two-sample test trains in it)
   * @param real real rows with the feature columns and {@code mcrage_group}
   * @param heldOutReal real rows kept out of training, same columns
   * @param synthetic synthetic rows, same columns
   * @param features the feature columns
   * @param options caps, seed and the two-sample test
   */
  public static FidelityReport compute(
      SparkSession spark,
      Dataset<Row> real,
      Dataset<Row> heldOutReal,
      Dataset<Row> synthetic,
      List<String> features,
      FidelityOptions options) {
    return compute(
        spark,
        collect(real, features, options),
        collect(heldOutReal, features, options),
        collect(synthetic, features, options),
        features,
        options);
  }

  /**
   * Computes the report from rows already on the driver, by group.
   *
   * @param spark the session (the two-sample test trains in it)
   * @param real real rows by group
   * @param twoSampleReal real rows by group for the two-sample test
   * @param synthetic synthetic rows by group
   * @param features the feature names, in the rows' column order
   * @param options the two-sample test and seed
   */
  public static FidelityReport compute(
      SparkSession spark,
      Map<Integer, double[][]> real,
      Map<Integer, double[][]> twoSampleReal,
      Map<Integer, double[][]> synthetic,
      List<String> features,
      FidelityOptions options) {
    List<GroupFidelity> groups = new ArrayList<>();
    Map<Integer, double[][]> realUsed = new java.util.TreeMap<>();
    Map<Integer, double[][]> testUsed = new java.util.TreeMap<>();
    Map<Integer, double[][]> syntheticUsed = new java.util.TreeMap<>();
    for (Map.Entry<Integer, double[][]> entry : synthetic.entrySet()) {
      double[][] realRows = real.get(entry.getKey());
      if (realRows == null || realRows.length < 2 || entry.getValue().length < 2) {
        continue;
      }
      double[][] testRows = twoSampleReal.getOrDefault(entry.getKey(), new double[0][]);
      realUsed.put(entry.getKey(), realRows);
      testUsed.put(entry.getKey(), testRows);
      syntheticUsed.put(entry.getKey(), entry.getValue());
      groups.add(
          group(spark, entry.getKey(), realRows, testRows, entry.getValue(), features, options));
    }
    GroupFidelity overall =
        group(
            spark,
            -1,
            GroupRows.pooled(realUsed),
            GroupRows.pooled(testUsed),
            GroupRows.pooled(syntheticUsed),
            features,
            options);
    return new FidelityReport(groups, overall);
  }

  /** Returns the report as a JSON-ready map: {@code overall}, then {@code groups}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("overall", overall.toMap());
    map.put("groups", groups.stream().map(GroupFidelity::toMap).toList());
    return map;
  }

  private static Map<Integer, double[][]> collect(
      Dataset<Row> rows, List<String> features, FidelityOptions options) {
    return GroupRows.collect(rows, features, options.maxRowsPerGroup(), options.seed());
  }

  private static GroupFidelity group(
      SparkSession spark,
      int group,
      double[][] real,
      double[][] testReal,
      double[][] synthetic,
      List<String> features,
      FidelityOptions options) {
    int width = features.size();
    if (real.length < 2 || synthetic.length < 2) {
      return new GroupFidelity(
          group, real.length, synthetic.length, List.of(), Double.NaN, Double.NaN);
    }
    double[][] realColumns = FeatureStatistics.columns(real, width);
    double[][] syntheticColumns = FeatureStatistics.columns(synthetic, width);
    List<FeatureFidelity> perFeature = new ArrayList<>();
    for (int k = 0; k < width; k++) {
      perFeature.add(feature(features.get(k), realColumns[k], syntheticColumns[k]));
    }
    double correlation =
        FeatureStatistics.maxAbsDifference(
            FeatureStatistics.correlation(real, width),
            FeatureStatistics.correlation(synthetic, width));
    double auroc =
        options.twoSampleTest() == null
            ? Double.NaN
            : options.twoSampleTest().auroc(spark, testReal, synthetic);
    return new GroupFidelity(group, real.length, synthetic.length, perFeature, correlation, auroc);
  }

  private static FeatureFidelity feature(String name, double[] real, double[] synthetic) {
    double sd = FeatureStatistics.sd(real);
    double unit = sd > 0 ? sd : 1.0;
    double syntheticSd = FeatureStatistics.sd(synthetic);
    return new FeatureFidelity(
        name,
        FeatureStatistics.ks(real, synthetic),
        FeatureStatistics.wasserstein1(real, synthetic) / unit,
        (FeatureStatistics.mean(synthetic) - FeatureStatistics.mean(real)) / unit,
        sd > 0 ? syntheticSd / sd : (syntheticSd == 0 ? 1.0 : Double.POSITIVE_INFINITY));
  }

  private static Object finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
