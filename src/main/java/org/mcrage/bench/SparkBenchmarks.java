package org.mcrage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.groups.GroupTable;
import org.mcrage.job.RebalanceJob;
import org.mcrage.job.SparkSessions;

/**
 * Speed of the Spark side: group counting against a plain count, sampling spread over executors,
 * and the whole rebalance job on a large generated table.
 */
final class SparkBenchmarks {
  private final Path folder;
  private final int repetitions;
  private final Consumer<Measurement> out;

  SparkBenchmarks(Path folder, int repetitions, Consumer<Measurement> out) {
    this.folder = folder;
    this.repetitions = repetitions;
    this.out = out;
  }

  /** Returns a generated Parquet table of the given size, writing it on first use. */
  String table(SparkSession spark, long rows) {
    Path path = folder.resolve("ehr-" + rows);
    if (!Files.exists(path.resolve("_SUCCESS"))) {
      new EhrTableGenerator(spark, 1)
          .generate(rows, Math.max(2, (int) (rows / 500_000)))
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(path.toString());
    }
    return path.toString();
  }

  /** Times phi and the group counts (one aggregation) next to a plain count of the same table. */
  void groups(SparkSession spark, long rows) {
    Dataset<Row> table = spark.read().parquet(table(spark, rows));
    table.count();
    GroupTable.fitAndCount(table, "diagnosis", List.of("sex"), 1, "warn");

    double[] countRates = new double[repetitions];
    double[] groupRates = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      table.count();
      countRates[i] = rows / seconds(start);
      start = System.nanoTime();
      GroupTable.fitAndCount(table, "diagnosis", List.of("sex"), 1, "warn");
      groupRates[i] = rows / seconds(start);
    }

    Measurement count = Measurement.of("count.parquet", rows, "rows/s", countRates);
    Measurement groups =
        Measurement.of("groups.phi_and_counts.parquet", rows, "rows/s", groupRates);
    out.accept(count);
    out.accept(groups.with("time_over_plain_count", count.median() / groups.median()));
  }

  /**
   * Times the distributed sampler on this session's master; run once with {@code local[1]} and once
   * with {@code local[2]} to see how sampling spreads over executor cores.
   */
  void samplingOverExecutors(SparkSession spark, long rows, String master) {
    String input = table(spark, 20_000);
    Map<String, String> settings =
        baseSettings(input, folder.resolve("sample-" + master.replaceAll("\\W", "")));
    settings.put("model.epochs", "1");
    settings.put("model.steps", "35");
    settings.put("sampling.rows-per-task", Long.toString(Math.max(1, rows / 8)));
    double[] rates = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      settings.put("run-id", "sample-" + i);
      long start = System.nanoTime();
      RebalanceJob.Result result = new RebalanceJob(spark, JobConfig.of(settings)).run();
      rates[i] = result.syntheticRows() / seconds(start);
    }
    out.accept(
        Measurement.of("sample.spark." + master, rows, "rows/s (whole job)", rates)
            .with("note", "job on 20000 rows, 1 epoch: dominated by sampling"));
  }

  /** Times the whole rebalance job on a generated table, default settings. */
  void rebalance(SparkSession spark, long rows) {
    String input = table(spark, rows);
    Map<String, String> settings = baseSettings(input, folder.resolve("rebalanced-" + rows));
    double[] seconds = new double[repetitions];
    long synthetic = 0;
    for (int i = 0; i < repetitions; i++) {
      settings.put("run-id", "bench-" + i);
      long start = System.nanoTime();
      synthetic = new RebalanceJob(spark, JobConfig.of(settings)).run().syntheticRows();
      seconds[i] = seconds(start);
    }
    out.accept(
        Measurement.of("rebalance.end_to_end", rows, "s", seconds)
            .with("synthetic_rows", synthetic)
            .with("master", spark.sparkContext().master()));
  }

  private static Map<String, String> baseSettings(String input, Path output) {
    Map<String, String> settings = new HashMap<>();
    settings.put("input.path", input);
    settings.put("input.format", "parquet");
    settings.put("label", "diagnosis");
    settings.put("demographics", "sex");
    settings.put("output.path", output.toString());
    return settings;
  }

  static SparkSession session(String master) {
    return SparkSessions.getOrCreate(JobConfig.of(Map.of("spark.master", master)));
  }

  static Path folder(String location) {
    try {
      return Files.createDirectories(Path.of(location));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create " + location, e);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
