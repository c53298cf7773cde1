package org.mcrage.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.mcrage.diffusion.CddpmConfig;
import org.mcrage.diffusion.CddpmModel;
import org.mcrage.diffusion.CddpmSampler;
import org.mcrage.diffusion.CddpmTrainer;

/**
 * Speed of the diffusion model itself, without Spark: training steps per second, guided sampling
 * rows per second, and the floating-point rate achieved against the machine's matrix-multiply rate
 * measured in the same run.
 */
final class ModelBenchmarks {
  /** Features of the paper's data set (eight blood tests and age). */
  static final int FEATURES = 9;

  /** Intersectional groups of the paper's data set (label x sex). */
  static final int GROUPS = 4;

  private final int repetitions;
  private final Consumer<Measurement> out;

  ModelBenchmarks(int repetitions, Consumer<Measurement> out) {
    this.repetitions = repetitions;
    this.out = out;
  }

  /** The denoiser we ship by default. */
  static CddpmConfig ours() {
    return CddpmConfig.defaults();
  }

  /** The paper's denoiser (the {@code paper} preset): 576 wide, GELU output, T = 35, w = 3. */
  static CddpmConfig paper() {
    return CddpmConfig.preset("paper").build();
  }

  /**
   * Measures training steps per second at a batch size: one training run whose epochs are the
   * warm-up and the timed repetitions; also times the last epochs of a longer run, so that a
   * slowdown of a trained model (float32 subnormals) would show.
   */
  void training(String name, CddpmConfig base, int batch, int stepsPerEpoch, int lateEpochs) {
    int warmup = 2;
    int epochs = Math.max(warmup + repetitions, lateEpochs);
    CddpmConfig config = base.toBuilder().batchSize(batch).epochs(epochs).steps(35).build();
    float[][] rows = gaussianRows(batch * stepsPerEpoch, 1);
    int[] groups = groupsOf(rows.length);
    List<Double> epochSeconds = new ArrayList<>();
    double[] last = {0};
    try (NDManager manager = NDManager.newBaseManager()) {
      CddpmTrainer.train(
          manager,
          rows,
          groups,
          GROUPS,
          config,
          (epoch, total, loss, elapsed) -> {
            double now = elapsed.toNanos() / 1e9;
            epochSeconds.add(now - last[0]);
            last[0] = now;
          });
    }

    double[] early = rates(epochSeconds.subList(warmup, warmup + repetitions), stepsPerEpoch);
    Measurement steps = Measurement.of("train." + name + ".batch" + batch, batch, "steps/s", early);
    steps.with("rows_per_s", steps.median() * batch);
    if (epochs > warmup + repetitions) {
      double[] late = rates(epochSeconds.subList(epochs - repetitions, epochs), stepsPerEpoch);
      steps.with("late_epochs_steps_per_s", Measurement.median(late));
      steps.with("late_over_early", Measurement.median(late) / steps.median());
      steps.with("epochs", epochs);
    }
    out.accept(steps);
  }

  /**
   * Measures sampling rows per second and the achieved floating-point rate.
   *
   * @param name the network's name in the workload
   * @param base its configuration (the guidance weight decides whether the null pass runs)
   * @param rows rows per timed repetition
   * @param peakFlops the matrix-multiply rate to compare with
   * @param options every step, or strided DDIM steps
   */
  void sampling(
      String name, CddpmConfig base, int rows, double peakFlops, CddpmSampler.Options options) {
    CddpmConfig config = base.toBuilder().epochs(1).batchSize(256).steps(35).build();
    float[][] data = gaussianRows(1024, 2);
    CddpmModel model;
    try (NDManager manager = NDManager.newBaseManager()) {
      model =
          CddpmTrainer.train(
              manager, data, groupsOf(data.length), GROUPS, config, (e, t, l, d) -> {});
    }

    double[] rates = new double[repetitions];
    int steps;
    try (NDManager manager = NDManager.newBaseManager();
        CddpmSampler sampler = new CddpmSampler(model, manager, options)) {
      steps = sampler.stepsPerRow();
      sampler.sample(0, Math.min(rows, 4096), 1);
      for (int i = 0; i < repetitions; i++) {
        long start = System.nanoTime();
        sampler.sample(i % GROUPS, rows, 100 + i);
        rates[i] = rows / ((System.nanoTime() - start) / 1e9);
      }
    }

    double flopsPerRow = flopsPerRow(model, steps);
    String workload =
        "sample."
            + name
            + ".T"
            + model.schedule().steps()
            + (steps < model.schedule().steps() ? ".ddim" + steps + ".eta" + options.eta() : "");
    Measurement measurement = Measurement.of(workload, rows, "rows/s", rates);
    double achieved = measurement.median() * flopsPerRow;
    measurement
        .with("guidance_weight", model.config().guidanceWeight())
        .with("steps_per_row", steps)
        .with("flop_per_row", flopsPerRow)
        .with("gflop_per_s", achieved / 1e9)
        .with("fraction_of_matmul_peak", achieved / peakFlops);
    out.accept(measurement);
  }

  /**
   * Counts the floating-point operations of generating one row as the sampler computes it: two per
   * multiply-add; the first layer multiplies only the features (the step and group parts are a
   * precomputed bias) and once for both passes, every later layer once per pass (two with
   * guidance), times the steps taken.
   */
  static double flopsPerRow(CddpmModel model, int steps) {
    int passes = model.config().guidanceWeight() > 0 ? 2 : 1;
    boolean residual = "resmlp".equals(model.config().architecture());
    String first = residual ? "input.weight" : "hidden0.weight";
    double multiplyAdds = 0;
    for (CddpmModel.NamedArray parameter : model.parameters()) {
      int[] shape = parameter.shape();
      if (parameter.name().equals(first)) {
        multiplyAdds += (double) model.featureDim() * shape[1];
      } else if (shape.length == 2 && parameter.name().matches("(hidden|block|output).*")) {
        multiplyAdds += (double) shape[0] * shape[1] * passes;
      }
    }
    return 2 * multiplyAdds * steps;
  }

  /** Measures the machine's float32 matrix-multiply rate (1024^3) through the same engine. */
  double matmulPeak() {
    int n = 1024;
    double[] rates = new double[repetitions];
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
      a.matMul(b).close();
      for (int i = 0; i < repetitions; i++) {
        long start = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.toFloatArray();
        }
        rates[i] = 2.0 * n * n * n / ((System.nanoTime() - start) / 1e9);
      }
    }
    Measurement peak = Measurement.of("matmul.float32.1024", n, "flop/s", rates);
    out.accept(peak.with("gflop_per_s", peak.median() / 1e9));
    return peak.median();
  }

  private static double[] rates(List<Double> seconds, int steps) {
    return seconds.stream().mapToDouble(s -> steps / s).toArray();
  }

  static float[][] gaussianRows(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] rows = new float[count][FEATURES];
    for (int i = 0; i < count; i++) {
      double shift = (i % GROUPS) - 1.5;
      for (int j = 0; j < FEATURES; j++) {
        rows[i][j] = (float) (nextGaussian(random) * 0.8 + shift * 0.5);
      }
    }
    return rows;
  }

  private static double nextGaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  static int[] groupsOf(int count) {
    int[] groups = new int[count];
    for (int i = 0; i < count; i++) {
      groups[i] = i % GROUPS;
    }
    return groups;
  }
}
