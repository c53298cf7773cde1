package org.mcrage.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

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
import org.mcrage.config.Settings;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.groups.GroupTable;
import org.mcrage.job.RebalanceJob;
import org.mcrage.job.Rebalancer;
import org.mcrage.job.SparkSessions;
import org.mcrage.sampling.DistributedSampler;
import org.mcrage.sampling.SamplingTask;

/**
 * Speed of the Spark side: group counting against a plain count, sampling spread over executors,
 * and the whole rebalance job on a large generated table.
 */
final class SparkBenchmarks {
  private static final String LABEL = "diagnosis";
  private static final String DEMOGRAPHIC = "sex";

  /** Sampling tasks per repetition of the sampling benchmark: several per core on 2 to 4 cores. */
  private static final int SAMPLING_TASKS = 16;

  /** Every repetition draws the same rows, so that each does the same work. */
  private static final long SAMPLING_SEED = 42L;

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

  /**
   * Times phi and the group counts (one aggregation) next to two plain counts of the same table,
   * interleaved so that load from other work falls on all three alike.
   *
   * <p>{@code count()} of a Parquet table reads only the file footers (the row counts), so it is a
   * floor no scan can reach; {@code count(label), count(sex)} must read and decode the same two
   * columns the grouping reads, so its ratio is the cost of the aggregation itself. The group count
   * is timed twice: as the job's {@code GroupTable.fitAndCount} runs it on a bare Parquet table
   * (from the column chunks' dictionary ids, {@code ParquetGroupCounter}) and through Spark's
   * {@code groupBy}, the path every other table takes. Each figure also carries the process CPU
   * time, which other processes on the machine do not inflate.
   */
  void groups(SparkSession spark, long rows) {
    Dataset<Row> table = spark.read().parquet(table(spark, rows));
    List<Timed> workloads =
        List.of(
            new Timed("count.parquet", table::count),
            new Timed(
                "count.label_and_demographics.parquet",
                () -> table.agg(count(col(LABEL)), count(col(DEMOGRAPHIC))).collectAsList()),
            new Timed(
                "groups.phi_and_counts.parquet",
                () -> GroupTable.fitAndCount(table, LABEL, List.of(DEMOGRAPHIC), 1, "warn")),
            // A projection is not a bare scan, so this one counts with Spark's groupBy.
            new Timed(
                "groups.phi_and_counts.spark_group_by",
                () ->
                    GroupTable.fitAndCount(
                        table.select(LABEL, DEMOGRAPHIC), LABEL, List.of(DEMOGRAPHIC), 1, "warn")));
    workloads.forEach(Timed::warmUp);
    for (int i = 0; i < repetitions; i++) {
      workloads.forEach(Timed::repeat);
    }

    Measurement count = workloads.get(0).measurement(rows);
    Measurement scan = workloads.get(1).measurement(rows);
    Measurement groups = workloads.get(2).measurement(rows);
    Measurement groupBy = workloads.get(3).measurement(rows);
    out.accept(count.with("note", "Parquet count(): answered from the file footers"));
    out.accept(
        scan.with("time_over_plain_count", count.median() / scan.median())
            .with("note", "count of the label and demographic columns: reads both columns"));
    out.accept(
        groups
            .with("time_over_plain_count", count.median() / groups.median())
            .with("time_over_column_scan", scan.median() / groups.median())
            .with(
                "cpu_over_column_scan",
                (double) groups.extra().get("cpu_s") / (double) scan.extra().get("cpu_s"))
            .with(
                "note",
                "GroupTable.fitAndCount on the bare Parquet table: counts the dictionary ids of"
                    + " the label and demographic column chunks, one task per file"));
    out.accept(
        groupBy
            .with("time_over_plain_count", count.median() / groupBy.median())
            .with("time_over_column_scan", scan.median() / groupBy.median())
            .with(
                "note",
                "the general path (any table): one groupBy over the label and demographic columns,"
                    + " the same column reads as the column count plus decoding each string and a"
                    + " hash aggregation"));
  }

  /**
   * Times the distributed sampler alone on this session's master: a small model is trained once on
   * a 20,000-row table (not timed), then each repetition generates {@code rows} rows with {@link
   * DistributedSampler#sample} as the job does (the copy checks included) and counts them. Run once
   * with {@code local[1]} and once with {@code local[2]} and compare rows/s; {@code cores_used}
   * (process CPU time over wall time) shows how much of the machine the run got.
   */
  void samplingOverExecutors(SparkSession spark, long rows, String master) {
    JobConfig config = samplingConfig(spark, master);
    Rebalancer.Rebalanced trained =
        new Rebalancer(spark, config, "bench-sample")
            .rebalance(spark.read().parquet(config.get(Settings.INPUT_PATH)));
    trained.synthetic().unpersist();
    long[] deficits = spread(rows, trained.groups());
    int rowsPerTask = (int) Math.max(1, rows / SAMPLING_TASKS);
    DistributedSampler sampler =
        new DistributedSampler(
            spark,
            rowsPerTask,
            "cpu",
            config.get(Settings.PRIVACY_MIN_DISTANCE),
            Rebalancer.samplingOptions(config));

    Timed sampling =
        new Timed("sample.spark." + master, () -> sampleOnce(sampler, trained, deficits));
    sampling.warmUp();
    for (int i = 0; i < repetitions; i++) {
      sampling.repeat();
    }
    out.accept(
        sampling
            .measurement(rows)
            .with("rows_per_task", rowsPerTask)
            .with("tasks", SamplingTask.plan(deficits, rowsPerTask, 0, 0).size())
            .with("executor_cores", spark.sparkContext().defaultParallelism())
            .with(
                "note",
                "DistributedSampler.sample alone (model trained once, not timed), copy checks and"
                    + " a count of the rows included"));
  }

  /**
   * The job's default settings on a 20,000-row table, with one epoch of training and a cap that
   * keeps the job's own sampling (the first warm-up) to about 1% of the real rows.
   */
  private JobConfig samplingConfig(SparkSession spark, String master) {
    Map<String, String> settings =
        baseSettings(
            table(spark, 20_000), folder.resolve("sample-" + master.replaceAll("\\W", "")));
    settings.put("model.epochs", "1");
    settings.put("groups.max-synthetic-per-real", "0.01");
    settings.put("device", "cpu");
    return JobConfig.of(settings);
  }

  private static void sampleOnce(
      DistributedSampler sampler, Rebalancer.Rebalanced trained, long[] deficits) {
    DistributedSampler.Result result =
        sampler.sample(
            trained.training().modelBytes(),
            trained.encoder(),
            trained.groups().index(),
            trained.real(),
            deficits,
            SAMPLING_SEED,
            "bench-sample");
    result.rows().count();
    result.rows().unpersist();
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

  /**
   * Spreads {@code rows} over the groups the job fills, in proportion to what each lacks of the
   * majority (before any cap).
   */
  private static long[] spread(long rows, GroupTable groups) {
    long[] deficits = new long[groups.index().size()];
    List<GroupTable.Group> filled = groups.groupsToFill();
    long lacking = filled.stream().mapToLong(group -> groups.target() - group.count()).sum();
    long given = 0;
    for (int i = 0; i < filled.size(); i++) {
      GroupTable.Group group = filled.get(i);
      long share =
          i == filled.size() - 1
              ? rows - given
              : rows * (groups.target() - group.count()) / lacking;
      deficits[group.phi()] = share;
      given += share;
    }
    return deficits;
  }

  private static Map<String, String> baseSettings(String input, Path output) {
    Map<String, String> settings = new HashMap<>();
    settings.put("input.path", input);
    settings.put("input.format", "parquet");
    settings.put("label", LABEL);
    settings.put("demographics", DEMOGRAPHIC);
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
