package org.mcrage.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session the tests share: {@code local[2]}, Delta enabled, UI off, few shuffle
 * partitions. Spark allows one active context per JVM, so test classes reuse it rather than start
 * and stop their own.
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  /** Returns the shared session, starting it on first use. */
  public static synchronized SparkSession get() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("mcrage-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.default.parallelism", "4")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.sql.warehouse.dir", "target/spark-warehouse")
              .config("spark.driver.host", "127.0.0.1")
              .getOrCreate();
    }
    return spark;
  }

  /**
   * Returns the paper's data set, read from {@code ../shared/data} (it is not ours to copy).
   *
   * @return the CSV path
   */
  public static Path patientTreatmentCsv() {
    String folder = System.getProperty("mcrage.shared.data", "../shared/data");
    Path csv = Paths.get(folder, "patient-treatment.csv");
    if (!Files.isReadable(csv)) {
      throw new IllegalStateException("The shared data set is missing at " + csv.toAbsolutePath());
    }
    return csv;
  }
}
