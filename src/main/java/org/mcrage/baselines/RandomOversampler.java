package org.mcrage.baselines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mcrage.groups.FillPolicy;
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.ColumnRoles;

/**
 * Random oversampling: every group is filled up to the largest with copies of its own real rows.
 *
 * <p>A group of n rows short of d rows copies every row floor(d / n) times and d mod n rows, chosen
 * by a seeded shuffle inside the group, once more: exact counts, each row copied as evenly as
 * possible (a lower-variance form of drawing with replacement). Copies carry the label,
 * demographics and features of their row; columns carried through are null, as in the rebalancer's
 * synthetic rows.
 */
public final class RandomOversampler {
  private static final String SHUFFLE = "_mcrage_shuffle";
  private static final String RANK = "_mcrage_rank";
  private static final String COPIES = "_mcrage_copies";

  private final SparkSession spark;
  private final long seed;
  private final String runId;

  /**
   * Creates an oversampler.
   *
   * @param spark the session
   * @param seed the seed of the shuffle
   * @param runId the run id stamped on every row
   */
  public RandomOversampler(SparkSession spark, long seed, String runId) {
    this.spark = spark;
    this.seed = seed;
    this.runId = runId;
  }

  /**
   * Oversamples a table.
   *
   * @param rows the input rows
   * @param roles the column roles
   * @param index the group index (fitted on these rows or a larger table)
   * @return the real and copied rows
   */
  public OversampledRows oversample(Dataset<Row> rows, ColumnRoles roles, GroupIndex index) {
    return oversample(rows, roles, index, FillPolicy.MAJORITY);
  }

  /**
   * Oversamples a table, filling each group as a fill policy says.
   *
   * @param rows the input rows
   * @param roles the column roles
   * @param index the group index
   * @param fill how far each group is filled ({@code groups.fill})
   * @return the real and copied rows
   */
  public OversampledRows oversample(
      Dataset<Row> rows, ColumnRoles roles, GroupIndex index, FillPolicy fill) {
    Dataset<Row> real = OversampledRows.withLineage(rows, index, runId);
    GroupTable groups = OversampledRows.count(real, index, fill);
    Dataset<Row> plan = plan(groups);

    Dataset<Row> ranked =
        real.where(col(LineageColumns.GROUP).isNotNull())
            .withColumn(SHUFFLE, rand(seed))
            .withColumn(
                RANK,
                row_number().over(Window.partitionBy(LineageColumns.GROUP).orderBy(col(SHUFFLE))))
            .join(plan, LineageColumns.GROUP);
    Column copies =
        floor(col("deficit").divide(col("n")))
            .plus(when(col(RANK).leq(col("deficit").mod(col("n"))), 1).otherwise(0))
            .cast("int");
    Dataset<Row> copied =
        ranked
            .withColumn(COPIES, copies)
            .where(col(COPIES).gt(0))
            .withColumn("_mcrage_copy", explode(sequence(lit(1), col(COPIES))));

    Dataset<Row> synthetic = copied.select(syntheticColumns(real, roles));
    return new OversampledRows(real, synthetic, groups, List.of());
  }

  private Dataset<Row> plan(GroupTable groups) {
    List<Row> rows = new ArrayList<>();
    for (GroupTable.Group group : groups.groups()) {
      if (group.deficit() > 0) {
        rows.add(RowFactory.create(group.phi(), group.count(), group.deficit()));
      }
    }
    StructType schema =
        new StructType()
            .add(LineageColumns.GROUP, DataTypes.IntegerType)
            .add("n", DataTypes.LongType)
            .add("deficit", DataTypes.LongType);
    return spark.createDataFrame(rows, schema);
  }

  private static Column[] syntheticColumns(Dataset<Row> real, ColumnRoles roles) {
    List<Column> columns = new ArrayList<>();
    for (var field : real.schema().fields()) {
      String name = field.name();
      Column value;
      if (roles.carried().contains(name)) {
        value = lit(null).cast(field.dataType());
      } else if (name.equals(LineageColumns.SYNTHETIC)) {
        value = lit(true);
      } else {
        value = col(name);
      }
      columns.add(value.as(name));
    }
    return columns.toArray(new Column[0]);
  }
}
