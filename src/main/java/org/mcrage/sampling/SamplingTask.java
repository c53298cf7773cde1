package org.mcrage.sampling;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One unit of sampling work: a number of rows of one group, with its own seed.
 *
 * @param group the group phi
 * @param chunk the chunk number within the group (and round)
 * @param rows how many rows to generate
 * @param seed the seed of this chunk's noise
 */
public record SamplingTask(int group, int chunk, int rows, long seed) {

  /** The Spark schema of a task row. */
  public static final StructType SCHEMA =
      new StructType()
          .add("group", DataTypes.IntegerType, false)
          .add("chunk", DataTypes.IntegerType, false)
          .add("rows", DataTypes.IntegerType, false)
          .add("seed", DataTypes.LongType, false);

  /**
   * Splits each group's deficit into tasks of at most {@code rowsPerTask} rows.
   *
   * @param deficits rows to generate, indexed by phi
   * @param rowsPerTask the largest task
   * @param seed the run's seed
   * @param round the generation round (0 first; later rounds replace rejected rows)
   * @return the tasks
   */
  public static List<SamplingTask> plan(long[] deficits, int rowsPerTask, long seed, int round) {
    List<SamplingTask> tasks = new ArrayList<>();
    for (int group = 0; group < deficits.length; group++) {
      long remaining = deficits[group];
      for (int chunk = 0; remaining > 0; chunk++) {
        int rows = (int) Math.min(rowsPerTask, remaining);
        tasks.add(new SamplingTask(group, chunk, rows, taskSeed(seed, round, group, chunk)));
        remaining -= rows;
      }
    }
    return tasks;
  }

  /** Returns the task as a row of {@link #SCHEMA}. */
  public Row toRow() {
    return RowFactory.create(group, chunk, rows, seed);
  }

  /**
   * Reads a task from a row of {@link #SCHEMA}.
   *
   * @param row the row
   * @return the task
   */
  public static SamplingTask fromRow(Row row) {
    return new SamplingTask(row.getInt(0), row.getInt(1), row.getInt(2), row.getLong(3));
  }

  static long taskSeed(long seed, int round, int group, int chunk) {
    long mixed = seed;
    mixed = mix(mixed ^ (0x9E3779B97F4A7C15L * (round + 1)));
    mixed = mix(mixed ^ (0xC2B2AE3D27D4EB4FL * (group + 1)));
    return mix(mixed ^ (0x165667B19E3779F9L * (chunk + 1)));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
