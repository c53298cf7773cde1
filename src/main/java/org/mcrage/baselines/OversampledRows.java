package org.mcrage.baselines;

import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.groups.FillPolicy;
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.LineageColumns;

/**
 * The rows a baseline produced: the real rows and the added ones, in the rebalancer's schema.
 *
 * @param real the input rows with the lineage columns ({@code mcrage_synthetic = false})
 * @param synthetic the added rows ({@code mcrage_synthetic = true}), same schema
 * @param groups the group table of the input: counts and deficits
 * @param notes one line per group that was handled specially (too small, empty)
 */
public record OversampledRows(
    Dataset<Row> real, Dataset<Row> synthetic, GroupTable groups, List<String> notes) {

  /** Returns the real and added rows together. */
  public Dataset<Row> all() {
    return real.unionByName(synthetic);
  }

  /**
   * Adds the lineage columns to real rows, as the rebalancer does.
   *
   * @param rows the input rows
   * @param index the group index
   * @param runId the run id stamped on every row
   * @return the rows with {@code mcrage_synthetic}, {@code mcrage_group} and {@code mcrage_run_id}
   */
  static Dataset<Row> withLineage(Dataset<Row> rows, GroupIndex index, String runId) {
    return rows.withColumn(LineageColumns.SYNTHETIC, lit(false))
        .withColumn(LineageColumns.GROUP, index.phiColumn())
        .withColumn(LineageColumns.RUN_ID, lit(runId));
  }

  /**
   * Counts the groups of rows with lineage and decides each group's deficit by a fill policy, the
   * same {@code groups.fill} the MCRAGE run uses, so that baselines and MCRAGE add rows alike.
   *
   * @param real rows with the lineage columns
   * @param index the group index
   * @param fill how far each group is filled
   * @return the group table
   */
  static GroupTable count(Dataset<Row> real, GroupIndex index, FillPolicy fill) {
    return GroupTable.count(real, LineageColumns.GROUP, index, 1, "warn", fill);
  }
}
