package org.mcrage.job;

import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;

/**
 * Gets the Spark session a command runs in.
 *
 * <p>Under {@code spark-submit}, Databricks or EMR the master and cluster settings come from the
 * launcher and are left alone. Run directly (bin/mcrage), the job starts a local session on {@code
 * spark.master} with Delta's extension and catalog, the UI off and few shuffle partitions.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Returns the session, creating it if needed.
   *
   * @param config the run's config ({@code spark.master} is used only outside spark-submit)
   * @return the session
   */
  public static SparkSession getOrCreate(JobConfig config) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("mcrage")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    if (System.getProperty("spark.master") == null) {
      builder
          .master(config.get(Settings.SPARK_MASTER))
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "8")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.sql.adaptive.enabled", "true");
    }
    return builder.getOrCreate();
  }
}
