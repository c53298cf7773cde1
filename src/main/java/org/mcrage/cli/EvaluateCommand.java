package org.mcrage.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.evaluation.EvaluateJob;
import org.mcrage.evaluation.MarkdownReport;
import org.mcrage.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mcrage evaluate}: the paper's protocol over many seeds, with baselines and a report. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Compare imbalanced, random oversampling, SMOTE, MCRAGE and balanced training data over"
            + " many seeds: random forest metrics per group, paired intervals, a report.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin JobOptions options;

  @Option(names = "--seeds", description = "number of seeds (evaluate.seeds)")
  String seeds;

  @Option(names = "--report-dir", description = "report folder (evaluate.report-dir)")
  String reportDir;

  @Override
  public Integer call() {
    if (seeds != null) {
      options.sets = append(Settings.EVALUATE_SEEDS.key(), seeds);
    }
    if (reportDir != null) {
      options.sets = append(Settings.EVALUATE_REPORT_DIR.key(), reportDir);
    }
    JobConfig config = options.resolve(Map.of());
    SparkSession spark = SparkSessions.getOrCreate(config);
    EvaluateJob.Result result = new EvaluateJob(spark, config).run();
    System.out.print(MarkdownReport.summaryTable(result.report()));
    System.out.printf("%nReport: %s/report.md, report.json and PNG figures%n", result.reportDir());
    return 0;
  }

  private java.util.List<String> append(String key, String value) {
    java.util.List<String> sets = new java.util.ArrayList<>(options.sets);
    sets.add(0, key + "=" + value);
    return sets;
  }
}
