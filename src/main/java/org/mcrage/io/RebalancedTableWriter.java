package org.mcrage.io;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.McrageException;

/**
 * Writes a run's rows to the output Delta table in one atomic commit.
 *
 * <p>In {@code overwrite} mode the commit replaces the whole table, so it holds this run only; in
 * {@code append} mode it replaces only the rows with this run id ({@code replaceWhere}) and keeps
 * other runs'. Either way a rerun with the same run id replaces its rows instead of adding to them,
 * and a failure before the commit leaves the previous version as it was. A run that loses a race
 * with another run's commit (Delta's conflict detection) fails with a {@link McrageException}.
 */
public final class RebalancedTableWriter {
  private final SparkSession spark;

  /**
   * Creates a writer.
   *
   * @param spark the session
   */
  public RebalancedTableWriter(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Commits the rows.
   *
   * @param rows the real and synthetic rows, with the lineage columns
   * @param location the table path
   * @param runId the run id the rows carry
   * @param mode {@code overwrite} or {@code append}
   * @param commitMetadata text recorded with the commit (Delta's {@code userMetadata})
   * @return the table version written
   */
  public long write(
      Dataset<Row> rows, String location, String runId, String mode, String commitMetadata) {
    boolean exists = DeltaTable.isDeltaTable(spark, location);
    if (!exists) {
      requireEmptyOrMissing(location);
    }

    var writer =
        rows.write()
            .format("delta")
            .mode(SaveMode.Overwrite)
            .option("userMetadata", commitMetadata);
    if (exists && "append".equals(mode)) {
      writer = writer.option("replaceWhere", LineageColumns.RUN_ID + " = '" + runId + "'");
    } else {
      writer = writer.option("overwriteSchema", "true");
    }
    try {
      writer.save(location);
    } catch (DeltaConcurrentModificationException e) {
      throw new McrageException(
          "Another run committed to output.path '"
              + location
              + "' while run '"
              + runId
              + "' was writing ("
              + e.getClass().getSimpleName()
              + "); this run wrote nothing",
          "Rerun with the same run id once the other run is done; the table is at the other"
              + " run's version and readable",
          e);
    }

    return DeltaTable.forPath(spark, location).history(1).select("version").first().getLong(0);
  }

  private void requireEmptyOrMissing(String location) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(path) && fs.listStatus(path).length > 0) {
        boolean onlyOurs = true;
        for (var status : fs.listStatus(path)) {
          onlyOurs &= status.getPath().getName().equals(RunStore.FOLDER);
        }
        if (!onlyOurs) {
          throw new McrageException(
              "Output path '" + location + "' exists and is not a Delta table",
              "Choose an empty or new output.path, or a Delta table this job wrote");
        }
      }
    } catch (IOException e) {
      throw new McrageException(
          "Cannot check output path '" + location + "': " + e.getMessage(),
          "Check the path and its permissions",
          e);
    }
  }
}
