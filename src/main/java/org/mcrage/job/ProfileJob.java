package org.mcrage.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.InputTable;
import org.mcrage.io.TableReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts a table's intersectional groups and their deficits without training anything. */
public final class ProfileJob {
  private static final Logger LOG = LoggerFactory.getLogger(ProfileJob.class);

  private final SparkSession spark;
  private final JobConfig config;

  /**
   * Creates the job.
   *
   * @param spark the session
   * @param config the settings: input, label, demographics and the group policy are used
   */
  public ProfileJob(SparkSession spark, JobConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /**
   * Reads the input and counts its groups.
   *
   * @return the group table
   */
  public GroupTable run() {
    Stage stage = new Stage();
    InputTable input =
        new TableReader(spark)
            .read(config.require(Settings.INPUT_PATH), config.get(Settings.INPUT_FORMAT));
    Dataset<Row> rows = input.rows();
    if (!config.get(Settings.SUBSAMPLE).isEmpty()) {
      rows = Subsample.parse(config.get(Settings.SUBSAMPLE)).apply(rows, config.get(Settings.SEED));
    }

    ColumnRoles roles = ColumnRoles.resolve(rows.schema(), config);
    GroupTable groups =
        GroupTable.fitAndCount(
            rows, roles.label(), roles.demographics(), config.get(Settings.MIN_GROUP_SIZE), "warn");
    GroupIndex index = groups.index();
    LOG.info(
        "profile: {} rows in {} groups, target {}, deficit {} in {} ms",
        groups.realRows(),
        index.size(),
        groups.target(),
        groups.totalDeficit(),
        stage.millis());
    return groups;
  }
}
