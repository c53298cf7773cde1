package org.mcrage.sampling;

import java.util.Map;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.mcrage.encoding.FeatureEncoder;

/**
 * Runs in the executors: keeps a synthetic row only if it lies at least {@code minDistance} from
 * every real row of its group, in the encoder's standardised units; counts the rows it drops.
 *
 * <p>The real rows of each group being filled travel as a broadcast of standardised doubles, each
 * group's sorted into a {@link RadiusIndex} so that a row is measured against the few real rows
 * near it rather than all of them; a group with no broadcast rows (too many to ship) is not checked
 * here and relies on the exact-copy anti-join alone. The distance covers the numeric features; a
 * synthetic row with a missing numeric value is not measured here (its nulls already set it apart
 * from the complete real rows the guard holds) and relies on the exact-copy anti-join, which
 * compares nulls as equal.
 */
final class NearCopyFilter implements FilterFunction<Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Map<Integer, RadiusIndex>> realRows;
  private final java.util.List<FeatureEncoder.Feature> features;
  private final int[] featurePositions;
  private final int groupPosition;
  private final double minDistance;
  private final LongAccumulator dropped;

  NearCopyFilter(
      Broadcast<Map<Integer, RadiusIndex>> realRows,
      java.util.List<FeatureEncoder.Feature> features,
      int[] featurePositions,
      int groupPosition,
      double minDistance,
      LongAccumulator dropped) {
    this.realRows = realRows;
    this.features = java.util.List.copyOf(features);
    this.featurePositions = featurePositions;
    this.groupPosition = groupPosition;
    this.minDistance = minDistance;
    this.dropped = dropped;
  }

  @Override
  public boolean call(Row row) {
    RadiusIndex reference = realRows.value().get(row.getInt(groupPosition));
    if (reference == null || featurePositions.length == 0) {
      return true;
    }
    double[] scaled = new double[featurePositions.length];
    for (int k = 0; k < scaled.length; k++) {
      scaled[k] = standardise(features.get(k), row.get(featurePositions[k]));
      if (Double.isNaN(scaled[k])) {
        return true;
      }
    }
    boolean keep = !reference.anyWithin(scaled, minDistance);
    if (!keep) {
      dropped.add(1);
    }
    return keep;
  }

  /** Returns a feature value in the encoder's standardised units (NaN for a missing value). */
  static double standardise(FeatureEncoder.Feature feature, Object value) {
    if (value == null) {
      return Double.NaN;
    }
    return (((Number) value).doubleValue() - feature.mean()) / feature.scale();
  }
}
