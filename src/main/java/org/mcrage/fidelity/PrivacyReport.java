package org.mcrage.fidelity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How far synthetic rows stay from the real patients they were learned from: the distance to the
 * closest record (DCR) among the training rows of the same group, on features standardised by the
 * training rows' mean and standard deviation, next to the same distance for real rows the model
 * never saw; and the share of synthetic rows that copy a training row exactly.
 *
 * <p>A generator that memorises patients has synthetic DCRs well below the held-out ones; a median
 * synthetic DCR at least the held-out median means synthetic rows sit no closer to training
 * patients than new real patients do.
 *
 * @param groups one entry per group with synthetic and training rows, ascending
 * @param overall all groups pooled (each row's distance still measured within its group)
 */
public record PrivacyReport(List<GroupPrivacy> groups, GroupPrivacy overall) {

  /**
   * One group's distances (group -1 is the pooled entry).
   *
   * @param group the group phi, -1 for all groups
   * @param syntheticRows synthetic rows measured
   * @param exactCopies synthetic rows at distance 0 from a training row
   * @param syntheticDcr DCRs of the synthetic rows, in standardised units
   * @param heldOutDcr DCRs of the held-out real rows (empty when none were given)
   */
  public record GroupPrivacy(
      int group, int syntheticRows, int exactCopies, double[] syntheticDcr, double[] heldOutDcr) {

    /** Returns the share of synthetic rows that copy a training row. */
    public double exactCopyRate() {
      return syntheticRows == 0 ? 0.0 : (double) exactCopies / syntheticRows;
    }

    /** Returns the median DCR of the synthetic rows. */
    public double medianSyntheticDcr() {
      return FeatureStatistics.median(syntheticDcr);
    }

    /** Returns the median DCR of the held-out real rows, NaN when none. */
    public double medianHeldOutDcr() {
      return FeatureStatistics.median(heldOutDcr);
    }

    /** Returns the statistics as a JSON-ready map. */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("group", group < 0 ? "all" : group);
      map.put("synthetic_rows", syntheticRows);
      map.put("exact_copies", exactCopies);
      map.put("exact_copy_rate", exactCopyRate());
      map.put("synthetic_dcr_median", finite(medianSyntheticDcr()));
      map.put("synthetic_dcr_p05", finite(FeatureStatistics.quantile(syntheticDcr, 0.05)));
      map.put("synthetic_dcr_min", finite(FeatureStatistics.quantile(syntheticDcr, 0.0)));
      map.put("held_out_rows", heldOutDcr.length);
      map.put("held_out_dcr_median", finite(medianHeldOutDcr()));
      map.put("held_out_dcr_p05", finite(FeatureStatistics.quantile(heldOutDcr, 0.05)));
      return map;
    }
  }

  /**
   * Computes the report from Datasets with the feature columns and {@code mcrage_group}.
   *
   * @param training the real rows the model trained on
   * @param heldOut real rows it never saw, or {@code null}
   * @param synthetic the synthetic rows
   * @param features the feature columns
   * @param maxRowsPerGroup rows collected per group at most (a seeded sample beyond)
   * @param seed seed of that sample
   */
  public static PrivacyReport compute(
      Dataset<Row> training,
      Dataset<Row> heldOut,
      Dataset<Row> synthetic,
      List<String> features,
      int maxRowsPerGroup,
      long seed) {
    return compute(
        GroupRows.collect(training, features, maxRowsPerGroup, seed),
        heldOut == null ? Map.of() : GroupRows.collect(heldOut, features, maxRowsPerGroup, seed),
        GroupRows.collect(synthetic, features, maxRowsPerGroup, seed));
  }

  /**
   * Computes the report from rows on the driver, by group, in the original units.
   *
   * @param training training rows by group
   * @param heldOut held-out real rows by group (possibly empty)
   * @param synthetic synthetic rows by group
   */
  public static PrivacyReport compute(
      Map<Integer, double[][]> training,
      Map<Integer, double[][]> heldOut,
      Map<Integer, double[][]> synthetic) {
    Standardiser scale = Standardiser.fit(GroupRows.pooled(training));
    List<GroupPrivacy> groups = new ArrayList<>();
    for (Map.Entry<Integer, double[][]> entry : synthetic.entrySet()) {
      double[][] reference = training.get(entry.getKey());
      if (reference == null || reference.length == 0) {
        continue;
      }
      double[][] scaledReference = scale.apply(reference);
      double[] syntheticDcr =
          NearestRecord.distances(scale.apply(entry.getValue()), scaledReference);
      double[][] held = heldOut.getOrDefault(entry.getKey(), new double[0][]);
      double[] heldDcr = NearestRecord.distances(scale.apply(held), scaledReference);
      groups.add(
          new GroupPrivacy(
              entry.getKey(), syntheticDcr.length, zeros(syntheticDcr), syntheticDcr, heldDcr));
    }
    return new PrivacyReport(groups, pooled(groups));
  }

  /** Returns the report as a JSON-ready map: {@code overall}, then {@code groups}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("overall", overall.toMap());
    map.put("groups", groups.stream().map(GroupPrivacy::toMap).toList());
    return map;
  }

  private static GroupPrivacy pooled(List<GroupPrivacy> groups) {
    double[] synthetic =
        groups.stream().flatMapToDouble(g -> java.util.Arrays.stream(g.syntheticDcr())).toArray();
    double[] held =
        groups.stream().flatMapToDouble(g -> java.util.Arrays.stream(g.heldOutDcr())).toArray();
    return new GroupPrivacy(-1, synthetic.length, zeros(synthetic), synthetic, held);
  }

  private static int zeros(double[] distances) {
    int count = 0;
    for (double distance : distances) {
      if (distance == 0.0) {
        count++;
      }
    }
    return count;
  }

  private static Object finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
