package org.mcrage.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.McrageException;
import org.mcrage.diffusion.CddpmConfig;
import org.mcrage.diffusion.CddpmSampler;

/**
 * Runs the named benchmark workloads.
 *
 * <ul>
 *   <li>{@code train}: steps/s at batch 128 and 4096, for our denoiser and the paper's;
 *   <li>{@code sample}: sampling rows/s at T = 35 for our denoiser (unguided, its default, and
 *       guided), the paper's (guided), and ours with 10 strided DDIM steps, with the floating-point
 *       rate achieved against a matrix-multiply rate measured in the same run;
 *   <li>{@code groups}: phi and group counts next to a footer-only count and a count that reads the
 *       same columns (default 10M rows);
 *   <li>{@code sample-spark}: the job's sampling alone, model trained once and not timed, on this
 *       master (run with {@code local[1]} and {@code local[2]}; default 200,000 rows);
 *   <li>{@code rebalance}: the whole job on a generated table (default 1M rows);
 *   <li>{@code smote}: the SMOTE baseline's neighbour search and interpolation, and its whole Spark
 *       run, exact and in blocks, at 100k, 1M and 10M rows (or {@code --rows});
 *   <li>{@code all}: train, sample and groups.
 * </ul>
 */
public final class Benchmarks implements AutoCloseable {
  private final Path folder;
  private final int repetitions;
  private final long rows;
  private final String master;
  private final Consumer<Measurement> out;
  private SparkSession spark;

  /**
   * Creates the runner.
   *
   * @param folder scratch folder for generated tables
   * @param repetitions timed repetitions per measurement
   * @param rows table rows, or 0 for each workload's default
   * @param master the Spark master for Spark workloads
   * @param out where measurements go
   */
  public Benchmarks(
      Path folder, int repetitions, long rows, String master, Consumer<Measurement> out) {
    this.folder = folder;
    this.repetitions = repetitions;
    this.rows = rows;
    this.master = master;
    this.out = out;
  }

  /**
   * Runs one workload.
   *
   * @param workload its name
   */
  public void run(String workload) {
    ModelBenchmarks model = new ModelBenchmarks(repetitions, out);
    switch (workload) {
      case "train" -> {
        model.training("ours", ModelBenchmarks.ours(), 128, 40, 0);
        model.training("paper", ModelBenchmarks.paper(), 128, 40, 0);
        model.training("ours", ModelBenchmarks.ours(), 4096, 4, 0);
        model.training("paper", ModelBenchmarks.paper(), 4096, 4, 0);
      }
      case "train-late" -> model.training("ours", ModelBenchmarks.ours(), 128, 20, 300);
      case "sample" -> {
        double peak = model.matmulPeak();
        CddpmConfig guided = ModelBenchmarks.ours().toBuilder().guidanceWeight(3.0).build();
        model.sampling("ours", ModelBenchmarks.ours(), 20_000, peak, CddpmSampler.Options.FULL);
        model.sampling("ours.guided", guided, 10_000, peak, CddpmSampler.Options.FULL);
        model.sampling("paper", ModelBenchmarks.paper(), 5_000, peak, CddpmSampler.Options.FULL);
        model.sampling(
            "ours", ModelBenchmarks.ours(), 40_000, peak, new CddpmSampler.Options(10, 1.0));
      }
      case "groups" -> sparkBenchmarks().groups(spark(), rowsOr(10_000_000));
      case "sample-spark" ->
          sparkBenchmarks().samplingOverExecutors(spark(), rowsOr(200_000), master);
      case "rebalance" -> sparkBenchmarks().rebalance(spark(), rowsOr(1_000_000));
      case "smote" -> {
        SmoteBenchmarks smote = new SmoteBenchmarks(repetitions, out);
        List<Long> sizes = rows > 0 ? List.of(rows) : List.of(100_000L, 1_000_000L, 10_000_000L);
        sizes.forEach(size -> smote.run(spark(), size));
      }
      case "all" -> List.of("train", "sample", "groups").forEach(this::run);
      default ->
          throw new McrageException(
              "Unknown benchmark '" + workload + "'",
              "Use train, train-late, sample, groups, sample-spark, rebalance, smote or all");
    }
  }

  private long rowsOr(long fallback) {
    return rows > 0 ? rows : fallback;
  }

  private SparkBenchmarks sparkBenchmarks() {
    return new SparkBenchmarks(SparkBenchmarks.folder(folder.toString()), repetitions, out);
  }

  private SparkSession spark() {
    if (spark == null) {
      spark = SparkBenchmarks.session(master);
    }
    return spark;
  }

  @Override
  public void close() {
    if (spark != null) {
      spark.stop();
    }
  }
}
