package org.mcrage.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.demo.EhrTableGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-contained demo: generates an imbalanced EHR-like table, writes it as Parquet and
 * rebalances it into a Delta table beside it, with no input and no cluster.
 */
public final class DemoJob {
  private static final Logger LOG = LoggerFactory.getLogger(DemoJob.class);

  /** Settings the demo uses unless the user gives them. */
  private static final Map<String, String> DEMO_DEFAULTS =
      Map.of(
          Settings.LABEL.key(), "diagnosis",
          Settings.DEMOGRAPHICS.key(), "sex",
          Settings.RUN_ID.key(), "demo",
          Settings.EPOCHS.key(), "60",
          Settings.HIDDEN_WIDTH.key(), "128");

  /** Returns the settings the demo uses unless the user gives them. */
  public static Map<String, String> defaults() {
    return DEMO_DEFAULTS;
  }

  private final SparkSession spark;
  private final JobConfig config;
  private final String folder;
  private final long rows;

  /**
   * Creates the demo.
   *
   * @param spark the session
   * @param config settings given by the user (they win over the demo's)
   * @param folder where the generated input and the output go
   * @param rows how many encounters to generate
   */
  public DemoJob(SparkSession spark, JobConfig config, String folder, long rows) {
    this.spark = spark;
    this.config = config;
    this.folder = folder;
    this.rows = rows;
  }

  /**
   * Generates the input and rebalances it.
   *
   * @return the rebalance result
   */
  public RebalanceJob.Result run() {
    Stage stage = new Stage();
    String input = new Path(folder, "input").toString();
    String output = new Path(folder, "rebalanced").toString();
    new EhrTableGenerator(spark, config.get(Settings.SEED))
        .generate(rows, 4)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(input);
    LOG.info("demo: generated {} encounters at {} in {} ms", rows, input, stage.millis());

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Settings.INPUT_PATH.key(), input);
    settings.put(Settings.INPUT_FORMAT.key(), "parquet");
    settings.put(Settings.OUTPUT_PATH.key(), output);
    return new RebalanceJob(spark, config.with(settings)).run();
  }
}
