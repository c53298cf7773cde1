package org.mcrage.robustness;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.config.JobConfig;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.RebalanceJob;
import org.mcrage.testing.SparkTestSession;

/** Small, fast rebalance runs on a robustness table, in the shared session or as arguments. */
final class Runs {
  private Runs() {}

  /** Returns the settings of a short run: few epochs, a narrow model, one training thread. */
  static Map<String, String> settings(Path input, Path output, String runId) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("input.path", input.toString());
    settings.put("output.path", output.toString());
    settings.put("label", "SOURCE");
    settings.put("demographics", "SEX");
    settings.put("run-id", runId);
    settings.put("model.epochs", "4");
    settings.put("model.checkpoint-every", "2");
    settings.put("model.hidden-width", "16");
    settings.put("model.hidden-layers", "2");
    settings.put("model.batch-size", "32");
    settings.put("model.steps", "10");
    settings.put("model.threads", "1");
    settings.put("sampling.rows-per-task", "200");
    return settings;
  }

  /** Runs the job in the shared session with the settings and overrides. */
  static RebalanceJob.Result run(Map<String, String> settings, Map<String, String> overrides) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.putAll(overrides);
    return new RebalanceJob(SparkTestSession.get(), JobConfig.of(all)).run();
  }

  /** Returns the settings as {@code --set key=value} arguments. */
  static List<String> asArguments(Map<String, String> settings) {
    List<String> arguments = new ArrayList<>();
    settings.forEach((key, value) -> arguments.addAll(List.of("--set", key + "=" + value)));
    return arguments;
  }

  /** Reads the output table. */
  static Dataset<Row> table(Path output) {
    return SparkTestSession.get().read().format("delta").load(output.toString());
  }

  /** Returns the synthetic rows' group and features as sorted text, run id left out. */
  static List<String> syntheticRows(Path output) {
    Column[] columns = {
      col(LineageColumns.GROUP), col("SOURCE"), col("SEX"), col("AGE"), col("HAEMA"), col("NOTE")
    };
    return table(output)
        .where(col(LineageColumns.SYNTHETIC))
        .select(columns)
        .orderBy(columns)
        .collectAsList()
        .stream()
        .map(Row::toString)
        .toList();
  }

  /** Returns the rows of one run id. */
  static long rowsOf(Path output, String runId) {
    return table(output).where(col(LineageColumns.RUN_ID).equalTo(runId)).count();
  }
}
