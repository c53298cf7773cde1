package org.mcrage.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.job.DemoJob;
import org.mcrage.job.RebalanceJob;
import org.mcrage.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mcrage demo}: generates an imbalanced EHR-like table and rebalances it. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Generate a seeded, imbalanced EHR-like table and rebalance it (no input).")
final class DemoCommand implements Callable<Integer> {
  @Mixin JobOptions options;

  @Option(names = "--dir", description = "folder for the generated input and the output")
  String folder = System.getProperty("java.io.tmpdir") + "/mcrage-demo";

  @Option(names = "--rows", description = "encounters to generate (default: ${DEFAULT-VALUE})")
  long rows = 20_000;

  @Override
  public Integer call() {
    JobConfig config = options.resolve(DemoJob.defaults());
    SparkSession spark = SparkSessions.getOrCreate(config);
    RebalanceJob.Result result = new DemoJob(spark, config, folder, rows).run();
    Reports.printRebalance(result);
    return 0;
  }
}
