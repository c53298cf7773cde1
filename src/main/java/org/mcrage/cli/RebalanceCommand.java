package org.mcrage.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.job.RebalanceJob;
import org.mcrage.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mcrage rebalance}: rebalances a table into a Delta table. */
@Command(
    name = "rebalance",
    mixinStandardHelpOptions = true,
    description = "Rebalance a table's intersectional groups with synthetic rows; write Delta.")
final class RebalanceCommand implements Callable<Integer> {
  @Mixin JobOptions options;

  @Override
  public Integer call() {
    JobConfig config = options.resolve(Map.of());
    SparkSession spark = SparkSessions.getOrCreate(config);
    RebalanceJob.Result result = new RebalanceJob(spark, config).run();
    Reports.printRebalance(result);
    return 0;
  }
}
