package org.mcrage.fidelity;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.io.LineageColumns;

/**
 * Rows of each group collected to the driver as doubles, at most {@code cap} per group (a seeded
 * sample beyond); rows with a missing feature value are left out.
 */
public final class GroupRows {
  private GroupRows() {}

  /**
   * Collects the feature values of each group.
   *
   * @param rows rows with the feature columns and {@code mcrage_group}
   * @param features the feature columns, in order
   * @param cap the most rows kept per group
   * @param seed seed of the sample taken above the cap
   * @return rows by group, groups in ascending order
   */
  public static Map<Integer, double[][]> collect(
      Dataset<Row> rows, List<String> features, int cap, long seed) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(LineageColumns.GROUP));
    Column complete = col(LineageColumns.GROUP).isNotNull();
    for (String feature : features) {
      columns.add(col(quoted(feature)).cast("double"));
      complete = complete.and(col(quoted(feature)).isNotNull());
    }
    Dataset<Row> usable = rows.where(complete).select(columns.toArray(new Column[0]));
    Map<Integer, Long> counts = new TreeMap<>();
    for (Row row : usable.groupBy(LineageColumns.GROUP).count().collectAsList()) {
      counts.put(row.getInt(0), row.getLong(1));
    }

    Map<Integer, Double> fractions = new java.util.HashMap<>();
    boolean sample = false;
    for (Map.Entry<Integer, Long> entry : counts.entrySet()) {
      double fraction = Math.min(1.0, 1.1 * cap / entry.getValue());
      fractions.put(entry.getKey(), fraction);
      sample |= fraction < 1.0;
    }
    Dataset<Row> kept =
        sample ? usable.stat().sampleBy(LineageColumns.GROUP, fractions, seed) : usable;

    Map<Integer, List<Row>> byGroup = new TreeMap<>();
    for (Row row : kept.collectAsList()) {
      List<Row> rowsOfGroup = byGroup.computeIfAbsent(row.getInt(0), group -> new ArrayList<>());
      if (rowsOfGroup.size() < cap) {
        rowsOfGroup.add(row);
      }
    }
    Map<Integer, double[][]> result = new TreeMap<>();
    byGroup.forEach((group, groupRows) -> result.put(group, toArrays(groupRows, features.size())));
    return result;
  }

  private static double[][] toArrays(List<Row> rows, int width) {
    double[][] values = new double[rows.size()][width];
    for (int i = 0; i < rows.size(); i++) {
      for (int k = 0; k < width; k++) {
        values[i][k] = rows.get(i).getDouble(k + 1);
      }
    }
    return values;
  }

  /** Returns all groups' rows in one array. */
  static double[][] pooled(Map<Integer, double[][]> rows) {
    return rows.values().stream().flatMap(java.util.Arrays::stream).toArray(double[][]::new);
  }

  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
