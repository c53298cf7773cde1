package org.mcrage.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws synthetic rows of one group from a trained model by ancestral DDPM sampling with
 * classifier-free guidance.
 *
 * <p>Each reverse step runs the conditional and the null-group pass in one batched forward and
 * mixes them as eps = (1 + w) eps_cond - w eps_uncond with w = {@link CddpmConfig#guidanceWeight()}
 * (w = 0 skips the null pass). Rows are drawn in chunks of up to 65,536, each in its own
 * sub-manager. All noise comes from a Java generator seeded per call, so the output is
 * deterministic. Not thread-safe; close it to free the weights.
 */
public final class CddpmSampler implements AutoCloseable {

  /** The most rows pushed through the network at once (twice that with guidance). */
  public static final int CHUNK_ROWS = 65_536;

  private static final Logger LOG = LoggerFactory.getLogger(CddpmSampler.class);

  private final CddpmModel model;
  private final NDManager manager;
  private final Denoiser denoiser;
  private final float[][] timeEmbeddings;
  private final float[][] groupEmbeddings;

  /**
   * Loads the model's weights into NDArrays of a sub-manager of the given manager, once.
   *
   * @param model the trained model
   * @param manager the manager (and so the device) to sample on
   */
  public CddpmSampler(CddpmModel model, NDManager manager) {
    this.model = model;
    this.manager = manager.newSubManager();
    Map<String, NDArray> weights = new HashMap<>();
    for (CddpmModel.NamedArray parameter : model.parameters()) {
      Shape shape = new Shape(CddpmTrainer.toLongs(parameter.shape()));
      weights.put(parameter.name(), this.manager.create(parameter.values(), shape));
    }
    this.denoiser = new Denoiser(weights, model.config());
    this.timeEmbeddings = embedAllSteps();
    this.groupEmbeddings = tableRows(model.parameter(Denoiser.GROUP_TABLE));
  }

  /**
   * Returns {@code count} synthetic rows of a group, in the model's scaled feature space.
   *
   * @param group the group index, in [0, numGroups)
   * @param count rows to draw, at least 0
   * @param seed seed of all noise; the same seed gives the same rows
   */
  public float[][] sample(int group, int count, long seed) {
    checkArguments(group, count);
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    float[][] rows = new float[count][];
    for (int from = 0; from < count; from += CHUNK_ROWS) {
      int size = Math.min(CHUNK_ROWS, count - from);
      float[] chunk = sampleChunk(group, size, random);
      int width = model.featureDim();
      for (int i = 0; i < size; i++) {
        rows[from + i] = new float[width];
        System.arraycopy(chunk, i * width, rows[from + i], 0, width);
      }
    }
    LOG.info(
        "Sampled {} rows of group {} in {} ms",
        count,
        group,
        (System.nanoTime() - start) / 1_000_000);
    return rows;
  }

  /** Frees the weights loaded by the constructor. */
  @Override
  public void close() {
    manager.close();
  }

  private float[] sampleChunk(int group, int size, SplittableRandom random) {
    int width = model.featureDim();
    boolean guided = model.config().guidanceWeight() > 0.0;
    try (NDManager chunk = manager.newSubManager()) {
      NDArray groups = groupConditioning(chunk, group, size, guided);
      NDArray noisy = chunk.create(gaussian(random, size * width, 1.0), new Shape(size, width));
      for (int t = model.schedule().steps() - 1; t >= 0; t--) {
        try (NDManager step = chunk.newSubManager()) {
          noisy.attach(step);
          noisy = reverseStep(step, noisy, groups, t, random, guided);
          noisy.attach(chunk);
        }
      }
      return noisy.toFloatArray();
    }
  }

  private NDArray reverseStep(
      NDManager step,
      NDArray noisy,
      NDArray groups,
      int t,
      SplittableRandom random,
      boolean guided) {
    NoiseSchedule schedule = model.schedule();
    NDArray noise = predictGuidedNoise(step, noisy, groups, t, guided);
    float noiseScale = (float) (schedule.beta(t) / Math.sqrt(1.0 - schedule.alphaBar(t)));
    float meanScale = (float) (1.0 / Math.sqrt(schedule.alpha(t)));
    NDArray mean = noisy.sub(noise.mul(noiseScale)).mul(meanScale);
    if (t == 0) {
      return mean;
    }
    double sigma = Math.sqrt(schedule.posteriorVariance(t));
    float[] fresh = gaussian(random, (int) noisy.size(), sigma);
    return mean.add(step.create(fresh, noisy.getShape()));
  }

  private NDArray predictGuidedNoise(
      NDManager step, NDArray noisy, NDArray groups, int t, boolean guided) {
    long rows = groups.getShape().get(0);
    NDArray time =
        step.create(timeEmbeddings[t], new Shape(1, timeEmbeddings[t].length))
            .broadcast(rows, timeEmbeddings[t].length);
    NDArray input = guided ? noisy.concat(noisy, 0) : noisy;
    NDArray predicted = denoiser.predictNoise(input, time, groups);
    if (!guided) {
      return predicted;
    }
    long size = noisy.getShape().get(0);
    float weight = (float) model.config().guidanceWeight();
    NDArray conditional = predicted.get("0:{}", size);
    NDArray unconditional = predicted.get("{}:", size);
    return conditional.mul(1f + weight).sub(unconditional.mul(weight));
  }

  private NDArray groupConditioning(NDManager chunk, int group, int size, boolean guided) {
    int width = groupEmbeddings[group].length;
    int rows = guided ? 2 * size : size;
    float[] values = new float[rows * width];
    for (int i = 0; i < rows; i++) {
      float[] source = i < size ? groupEmbeddings[group] : groupEmbeddings[model.numGroups()];
      System.arraycopy(source, 0, values, i * width, width);
    }
    return chunk.create(values, new Shape(rows, width));
  }

  private float[][] embedAllSteps() {
    int steps = model.schedule().steps();
    int dim = model.config().timeEmbeddingDim();
    float[] features = new float[steps * dim];
    for (int t = 0; t < steps; t++) {
      System.arraycopy(Denoiser.stepFeatures(t, dim), 0, features, t * dim, dim);
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray embedded = denoiser.timeEmbedding(scratch.create(features, new Shape(steps, dim)));
      return tableRows(embedded.toFloatArray(), steps, dim);
    }
  }

  private static float[][] tableRows(CddpmModel.NamedArray table) {
    int[] shape = table.shape();
    return tableRows(table.values(), shape[0], shape[1]);
  }

  private static float[][] tableRows(float[] values, int rows, int columns) {
    float[][] result = new float[rows][columns];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(values, i * columns, result[i], 0, columns);
    }
    return result;
  }

  private static float[] gaussian(SplittableRandom random, int count, double scale) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (scale * random.nextGaussian());
    }
    return values;
  }

  private void checkArguments(int group, int count) {
    if (group < 0 || group >= model.numGroups()) {
      throw new IllegalArgumentException(
          "group must be in [0, "
              + model.numGroups()
              + ") but was "
              + group
              + "; pass an index from the group table the model was trained with");
    }
    if (count < 0) {
      throw new IllegalArgumentException(
          "count must be >= 0 but was " + count + "; ask for a non-negative number of rows");
    }
  }
}
