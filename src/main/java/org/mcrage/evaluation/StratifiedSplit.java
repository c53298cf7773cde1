package org.mcrage.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * A seeded split that holds out the same share of every stratum (intersectional group), so both
 * sides keep the table's balance.
 *
 * <p>A stratum of n rows holds out round(n * fraction) rows, but at least one and at most n - 1
 * when n is at least 2 (and the fraction is positive), so every group with two rows is on both
 * sides; a stratum of one row, and rows whose stratum is null, stay in the rest.
 *
 * @param held the held-out rows (test or validation)
 * @param rest the other rows
 */
public record StratifiedSplit(Dataset<Row> held, Dataset<Row> rest) {
  private static final String STRATUM = "_mcrage_stratum";
  private static final String DRAW = "_mcrage_draw";
  private static final String HELD = "_mcrage_held";

  /**
   * Splits a table.
   *
   * @param rows the table (its plan must be deterministic: the same rows in the same partitions)
   * @param stratum the stratum of each row, e.g. phi
   * @param fraction the share held out, in [0, 1)
   * @param seed the seed of the draw
   * @return the split; both sides are persisted, call {@link #release()} when done
   */
  public static StratifiedSplit of(Dataset<Row> rows, Column stratum, double fraction, long seed) {
    WindowSpec byStratum = Window.partitionBy(col(STRATUM));
    Column n = count(lit(1)).over(byStratum);
    Column heldCount =
        when(n.lt(2).or(lit(fraction <= 0)), lit(0L))
            .otherwise(least(n.minus(1), greatest(lit(1L), round(n.multiply(fraction)))));
    Dataset<Row> flagged =
        rows.withColumn(STRATUM, stratum)
            .withColumn(DRAW, rand(seed))
            .withColumn(
                HELD,
                col(STRATUM)
                    .isNotNull()
                    .and(row_number().over(byStratum.orderBy(col(DRAW))).leq(heldCount)))
            .persist();
    Dataset<Row> held = flagged.where(col(HELD)).drop(STRATUM, DRAW, HELD);
    Dataset<Row> rest = flagged.where(col(HELD).equalTo(false)).drop(STRATUM, DRAW, HELD);
    return new StratifiedSplit(held, rest);
  }

  /** Frees the cached rows of the split. */
  public void release() {
    held.unpersist();
    rest.unpersist();
  }
}
