package org.mcrage.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.groups.GroupTable;
import org.mcrage.job.ProfileJob;
import org.mcrage.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mcrage profile}: prints the group table without training. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = "Print the group table (phi, values, count, deficit) without training.")
final class ProfileCommand implements Callable<Integer> {
  @Mixin JobOptions options;

  @Override
  public Integer call() {
    JobConfig config = options.resolve(Map.of());
    SparkSession spark = SparkSessions.getOrCreate(config);
    GroupTable groups = new ProfileJob(spark, config).run();
    System.out.print(groups.render());
    System.out.printf(
        "%d rows in %d groups; target %d; %d synthetic rows would be generated%n",
        groups.realRows(), groups.groups().size(), groups.target(), groups.totalDeficit());
    return 0;
  }
}
