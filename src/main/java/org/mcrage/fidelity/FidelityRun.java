package org.mcrage.fidelity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The fidelity and privacy reports of one set of synthetic rows, as a run's manifest or an
 * evaluation report records them: the entry point for callers outside this package.
 *
 * <p>With held-out real rows, the two-sample test and the held-out DCRs use them; without, the
 * two-sample test uses the training rows (which flatters a generator that memorises, so read it
 * with the DCRs) and no held-out DCR is reported.
 *
 * @param fidelity the distribution report
 * @param privacy the distance-to-closest-record report
 */
public record FidelityRun(FidelityReport fidelity, PrivacyReport privacy) {

  /**
   * Measures synthetic rows against real ones, with the default options.
   *
   * @param spark the session
   * @param training the real rows the generator learned from, with the feature columns and {@code
   *     mcrage_group}
   * @param heldOut real rows it never saw, or {@code null}
   * @param synthetic the synthetic rows, same columns
   * @param features the feature columns
   * @param seed seed of every sample and of the two-sample test
   */
  public static FidelityRun measure(
      SparkSession spark,
      Dataset<Row> training,
      Dataset<Row> heldOut,
      Dataset<Row> synthetic,
      List<String> features,
      long seed) {
    return measure(spark, training, heldOut, synthetic, features, FidelityOptions.defaults(seed));
  }

  /**
   * Measures synthetic rows against real ones.
   *
   * @param spark the session
   * @param training the real rows the generator learned from
   * @param heldOut real rows it never saw, or {@code null}
   * @param synthetic the synthetic rows
   * @param features the feature columns
   * @param options caps, seed and two-sample test
   */
  public static FidelityRun measure(
      SparkSession spark,
      Dataset<Row> training,
      Dataset<Row> heldOut,
      Dataset<Row> synthetic,
      List<String> features,
      FidelityOptions options) {
    int cap = options.maxRowsPerGroup();
    Map<Integer, double[][]> real = GroupRows.collect(training, features, cap, options.seed());
    Map<Integer, double[][]> held =
        heldOut == null ? Map.of() : GroupRows.collect(heldOut, features, cap, options.seed());
    Map<Integer, double[][]> fake = GroupRows.collect(synthetic, features, cap, options.seed());
    FidelityReport fidelity =
        FidelityReport.compute(spark, real, heldOut == null ? real : held, fake, features, options);
    return new FidelityRun(fidelity, PrivacyReport.compute(real, held, fake));
  }

  /**
   * Returns both reports as a JSON-ready map with keys {@code distribution} and {@code privacy}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("distribution", fidelity.toMap());
    map.put("privacy", privacy.toMap());
    return map;
  }
}
