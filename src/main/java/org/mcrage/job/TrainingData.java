package org.mcrage.job;

import static org.apache.spark.sql.functions.col;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.LineageColumns;

/**
 * The encoded rows the model trains on, collected to the driver as a float matrix.
 *
 * <p>Only rows with a group and a value in every feature are used. Above {@code
 * model.max-train-rows} a seeded stratified sample is taken: every group keeps the same share,
 * except that groups smaller than their share of the cap are kept whole, so small groups are never
 * thinned.
 *
 * @param features the scaled features, one row per training row
 * @param groups each row's phi
 * @param excluded input rows left out for a missing group or feature value
 */
record TrainingData(float[][] features, int[] groups, long excluded) {

  static TrainingData collect(
      Dataset<Row> real, FeatureEncoder encoder, GroupTable groups, JobConfig config, long seed) {
    Dataset<Row> usable =
        real.where(col(LineageColumns.GROUP).isNotNull().and(encoder.complete()))
            .select(col(LineageColumns.GROUP), encoder.encodedColumn());
    long available = usable.count();
    long total = real.count();
    int cap = config.get(Settings.MAX_TRAIN_ROWS);
    if (available > cap) {
      usable = usable.stat().sampleBy(LineageColumns.GROUP, fractions(groups, cap), seed);
    }

    List<Row> rows = usable.collectAsList();
    float[][] features = new float[rows.size()][];
    int[] phis = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      phis[i] = row.getInt(0);
      List<Float> values = row.getList(1);
      features[i] = new float[values.size()];
      for (int j = 0; j < features[i].length; j++) {
        features[i][j] = values.get(j);
      }
    }
    return new TrainingData(features, phis, total - available);
  }

  private static Map<Integer, Double> fractions(GroupTable groups, int cap) {
    double share = (double) cap / groups.realRows();
    double floor = (double) cap / Math.max(1, groups.groups().size()) / 4;
    Map<Integer, Double> fractions = new HashMap<>();
    for (GroupTable.Group group : groups.groups()) {
      if (group.count() > 0) {
        double keep = Math.max(share, Math.min(1.0, floor / group.count()));
        fractions.put(group.phi(), Math.min(1.0, keep));
      }
    }
    return fractions;
  }
}
