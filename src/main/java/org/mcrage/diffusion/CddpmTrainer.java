package org.mcrage.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the conditional diffusion model on scaled feature rows with DJL, on whatever device the
 * given manager uses.
 *
 * <p>Every random draw (initial weights, batch order, steps, noise and context dropout) comes from
 * a {@link SplittableRandom} seeded with {@link CddpmConfig#seed()} and is copied into NDArrays, so
 * the same seed, data and thread count give bit-identical weights on CPU. The optimiser is Adam
 * without weight decay (decay pushed weights into float32 subnormals, which slowed CPU matmuls
 * several times). The returned model holds an exponential moving average of the weights whose decay
 * warms up as min(emaDecay, (1 + n) / (10 + n)) after n steps.
 */
public final class CddpmTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(CddpmTrainer.class);
  private static final Object TRAINING_LOCK = new Object();

  private final NDManager manager;
  private final float[][] features;
  private final int[] groups;
  private final int numGroups;
  private final Conditioning conditioning;
  private final CddpmConfig config;
  private final NoiseSchedule schedule;
  private final SplittableRandom random;
  private final List<Denoiser.Spec> specs;
  private final Map<String, NDArray> weights = new LinkedHashMap<>();
  private final Map<String, NDArray> averages = new LinkedHashMap<>();
  private final Denoiser denoiser;
  private final Optimizer optimizer;
  private final float[][] stepFeatures;
  private final TrainingCheckpoint checkpoint;
  private final String fingerprint;
  private final ValidationSet validation;
  private long updates;
  private double bestValidationLoss = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private Map<String, float[]> bestAverages;

  private CddpmTrainer(
      NDManager manager,
      float[][] features,
      int[] groups,
      Conditioning conditioning,
      CddpmConfig config,
      TrainingCheckpoint checkpoint) {
    this.manager = manager;
    this.checkpoint = checkpoint;
    this.fingerprint =
        checkpoint == TrainingCheckpoint.NONE
            ? ""
            : TrainerState.fingerprint(config, features, groups, conditioning);
    this.numGroups = conditioning.numGroups();
    this.conditioning = conditioning;
    this.config = config;
    this.schedule = config.noiseSchedule(NoiseSchedule.diameter(features));
    SplittableRandom root = new SplittableRandom(config.seed());
    this.specs = Denoiser.layout(features[0].length, conditioning, config);
    initialiseWeights(root.split());
    this.random = root.split();
    this.denoiser = new Denoiser(weights, config);
    this.optimizer =
        Optimizer.adam()
            .optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
            .build();
    this.stepFeatures = new float[schedule.steps()][];
    for (int t = 0; t < stepFeatures.length; t++) {
      stepFeatures[t] = Denoiser.stepFeatures(t, config.timeEmbeddingDim());
    }
    SplittableRandom validationRandom = root.split();
    ValidationSet.Split split =
        ValidationSet.split(
            features, groups, numGroups, config.validationFraction(), validationRandom);
    this.features = split.features();
    this.groups = split.groups();
    this.validation =
        split.heldOut().length == 0
            ? null
            : ValidationSet.draw(
                features,
                groups,
                split.heldOut(),
                schedule,
                conditioning,
                stepFeatures,
                validationRandom);
  }

  /**
   * Trains a model and returns it with its moving-average weights and per-epoch losses.
   *
   * @param manager the manager (and so the device) to train on; everything the run creates is freed
   *     before this returns
   * @param features scaled rows (about zero mean, unit variance), all of one length
   * @param groups each row's group index, in [0, numGroups)
   * @param numGroups number of groups, at least 1
   * @param config hyper-parameters, validated here
   * @param progress told the mean loss after each epoch; {@link TrainingProgress#NONE} to ignore
   */
  public static CddpmModel train(
      NDManager manager,
      float[][] features,
      int[] groups,
      int numGroups,
      CddpmConfig config,
      TrainingProgress progress) {
    return train(manager, features, groups, numGroups, config, progress, TrainingCheckpoint.NONE);
  }

  /**
   * Trains a model, saving its state to a checkpoint every few epochs and after the last, and
   * resuming from the checkpoint's state when it belongs to the same configuration and data.
   *
   * <p>A resumed run replays the random draws of the epochs it skips and restores the optimiser's
   * moments, so it ends with the same model as an uninterrupted run on the same thread count.
   *
   * @param manager the manager (and so the device) to train on
   * @param features scaled rows, all of one length
   * @param groups each row's group index, in [0, numGroups)
   * @param numGroups number of groups, at least 1
   * @param config hyper-parameters, validated here
   * @param progress told the mean loss after each epoch run (not the skipped ones)
   * @param checkpoint where to save and find the state; {@link TrainingCheckpoint#NONE} for none
   * @return the trained model
   */
  public static CddpmModel train(
      NDManager manager,
      float[][] features,
      int[] groups,
      int numGroups,
      CddpmConfig config,
      TrainingProgress progress,
      TrainingCheckpoint checkpoint) {
    checkGroupCount(numGroups);
    return train(
        manager, features, groups, Conditioning.perGroup(numGroups), config, progress, checkpoint);
  }

  /**
   * Trains a model whose groups are conditioned as {@code conditioning} says, with checkpoints as
   * {@link #train(NDManager, float[][], int[], int, CddpmConfig, TrainingProgress,
   * TrainingCheckpoint)} makes them. The returned model holds one embedding per group whatever the
   * conditioning (a factored table is folded), so it samples like any other.
   *
   * @param manager the manager (and so the device) to train on
   * @param features scaled rows, all of one length
   * @param groups each row's group index, in [0, conditioning.numGroups())
   * @param conditioning each group's conditioning vector
   * @param config hyper-parameters, validated here
   * @param progress told the mean loss after each epoch run (not the skipped ones)
   * @param checkpoint where to save and find the state; {@link TrainingCheckpoint#NONE} for none
   * @return the trained model
   */
  public static CddpmModel train(
      NDManager manager,
      float[][] features,
      int[] groups,
      Conditioning conditioning,
      CddpmConfig config,
      TrainingProgress progress,
      TrainingCheckpoint checkpoint) {
    config.validate();
    Objects.requireNonNull(progress, "progress is null; pass TrainingProgress.NONE to ignore it");
    Objects.requireNonNull(checkpoint, "checkpoint is null; pass TrainingCheckpoint.NONE");
    Objects.requireNonNull(conditioning, "conditioning is null; pass Conditioning.perGroup");
    checkData(features, groups, conditioning.numGroups());
    applyThreads(manager, config.threads());
    // DJL's PyTorch gradient collector is global to the process: two trainings at once fail with
    // "A PtGradientCollector is already collecting", so concurrent runs in one JVM take turns.
    synchronized (TRAINING_LOCK) {
      try (NDManager runManager = manager.newSubManager()) {
        return new CddpmTrainer(runManager, features, groups, conditioning, config, checkpoint)
            .run(progress);
      }
    }
  }

  private CddpmModel run(TrainingProgress progress) {
    int epochs = config.epochs();
    double[] losses = new double[epochs];
    int first = resume(losses) + 1;
    int batches = (features.length + config.batchSize() - 1) / config.batchSize();
    LOG.info(
        "Training CDDPM: {} rows, {} features, {} groups, {} {} steps, {} epochs of {} batches",
        features.length,
        features[0].length,
        numGroups,
        schedule.steps(),
        schedule.kind(),
        epochs,
        batches);
    long start = System.nanoTime();
    int reportEvery = Math.max(1, epochs / 10);
    for (int epoch = first; epoch <= epochs; epoch++) {
      losses[epoch - 1] = runEpoch();
      keepIfBest(epoch);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      logEpoch(epoch, losses[epoch - 1], elapsed, reportEvery);
      saveCheckpoint(epoch, losses);
      progress.onEpoch(epoch, epochs, losses[epoch - 1], elapsed);
    }
    LOG.info(
        "Trained CDDPM in {} s, final loss {}",
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9),
        epochs == 0 ? Double.NaN : losses[epochs - 1]);
    if (bestAverages != null) {
      LOG.info(
          "Kept the weights of epoch {}/{}, validation loss {}",
          bestEpoch,
          epochs,
          String.format(Locale.ROOT, "%.5f", bestValidationLoss));
    }
    return new CddpmModel(
        config, schedule, features[0].length, numGroups, averagedWeights(), losses);
  }

  /**
   * With a validation set, scores the averaged weights on it and keeps a copy when they beat every
   * earlier epoch of this run.
   *
   * <p>Known shortcoming: a checkpoint holds no best-epoch copy, so a resumed run picks its best
   * epoch among the epochs it runs itself; it can end with other weights than an uninterrupted run.
   */
  private void keepIfBest(int epoch) {
    if (validation == null) {
      return;
    }
    double loss = validation.loss(new Denoiser(averages, config), manager);
    LOG.debug("CDDPM epoch {}: validation loss {}", epoch, loss);
    if (loss < bestValidationLoss) {
      bestValidationLoss = loss;
      bestEpoch = epoch;
      bestAverages = new LinkedHashMap<>();
      averages.forEach((name, array) -> bestAverages.put(name, array.toFloatArray()));
    }
  }

  private int resume(double[] losses) {
    Optional<TrainerState> saved = checkpoint.load().flatMap(TrainerState::fromBytes);
    if (saved.isEmpty()) {
      return 0;
    }
    TrainerState state = saved.get();
    if (!state.fingerprint().equals(fingerprint) || state.epoch() > config.epochs()) {
      LOG.warn("Ignoring a training checkpoint made with other settings or data; training anew");
      return 0;
    }

    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Denoiser.Spec spec : specs) {
      Shape shape = new Shape(toLongs(spec.shape()));
      shapes.put(spec.name(), shape);
      NDArray weight = manager.create(state.weights().get(spec.name()), shape);
      weight.setRequiresGradient(true);
      weights.put(spec.name(), weight).close();
      averages.put(spec.name(), manager.create(state.averages().get(spec.name()), shape)).close();
    }
    boolean moments = state.adam().restore(optimizer, manager, shapes);
    updates = state.updates();
    System.arraycopy(state.losses(), 0, losses, 0, state.epoch());
    for (int epoch = 0; epoch < state.epoch(); epoch++) {
      skipEpochDraws();
    }
    LOG.info(
        "Resumed training after epoch {}/{} from a checkpoint{}",
        state.epoch(),
        config.epochs(),
        moments ? "" : " (optimiser moments restarted)");
    return state.epoch();
  }

  private void skipEpochDraws() {
    shuffledRows();
    int width = features[0].length;
    for (int row = 0; row < features.length; row++) {
      random.nextInt(schedule.steps());
      random.nextDouble();
      for (int k = 0; k < width; k++) {
        random.nextGaussian();
      }
    }
  }

  private void saveCheckpoint(int epoch, double[] losses) {
    int every = checkpoint.every();
    if (every <= 0 || (epoch % every != 0 && epoch != config.epochs())) {
      return;
    }
    Map<String, float[]> weightValues = new LinkedHashMap<>();
    Map<String, float[]> averageValues = new LinkedHashMap<>();
    weights.forEach((name, array) -> weightValues.put(name, array.toFloatArray()));
    averages.forEach((name, array) -> averageValues.put(name, array.toFloatArray()));
    TrainerState state =
        new TrainerState(
            fingerprint,
            epoch,
            updates,
            Arrays.copyOf(losses, epoch),
            weightValues,
            averageValues,
            AdamState.export(optimizer));
    checkpoint.save(state.toBytes());
    LOG.debug("Saved a training checkpoint after epoch {}", epoch);
  }

  private void logEpoch(int epoch, double loss, Duration elapsed, int reportEvery) {
    LOG.debug("CDDPM epoch {}/{}: loss {}", epoch, config.epochs(), loss);
    if (epoch % reportEvery == 0 || epoch == config.epochs()) {
      long etaSeconds = elapsed.toSeconds() * (config.epochs() - epoch) / epoch;
      LOG.info(
          "CDDPM epoch {}/{}: loss {}, elapsed {} s, ETA {} s",
          epoch,
          config.epochs(),
          String.format(Locale.ROOT, "%.5f", loss),
          elapsed.toSeconds(),
          etaSeconds);
    }
  }

  private double runEpoch() {
    int[] order = shuffledRows();
    double lossSum = 0.0;
    for (int from = 0; from < order.length; from += config.batchSize()) {
      int to = Math.min(order.length, from + config.batchSize());
      lossSum += runStep(order, from, to) * (to - from);
    }
    return lossSum / order.length;
  }

  private double runStep(int[] order, int from, int to) {
    try (NDManager step = manager.newSubManager()) {
      TrainingBatch batch = drawBatch(order, from, to);
      NDArray noisy = step.create(batch.noisy, new Shape(batch.rows, batch.width));
      NDArray noise = step.create(batch.noise, new Shape(batch.rows, batch.width));
      NDArray times =
          step.create(batch.stepFeatures, new Shape(batch.rows, stepFeatures[0].length));
      NDArray conditions =
          step.create(batch.conditions, new Shape(batch.rows, conditioning.columns()));
      double loss;
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray predicted =
            denoiser.predictNoise(
                noisy, denoiser.timeEmbedding(times), denoiser.groupEmbedding(conditions));
        NDArray meanSquaredError = predicted.sub(noise).square().mean();
        collector.backward(meanSquaredError);
        loss = meanSquaredError.getFloat();
      }
      updateWeights();
      updateAverages();
      return loss;
    }
  }

  private TrainingBatch drawBatch(int[] order, int from, int to) {
    TrainingBatch batch =
        new TrainingBatch(
            to - from, features[0].length, stepFeatures[0].length, conditioning.columns());
    for (int i = 0; i < batch.rows; i++) {
      int row = order[from + i];
      int t = random.nextInt(schedule.steps());
      boolean dropGroup = random.nextDouble() < config.contextDropout();
      batch.setRow(i, features[row], schedule.alphaBar(t), random);
      conditioning.copyRow(
          dropGroup ? numGroups : groups[row], batch.conditions, i * conditioning.columns());
      System.arraycopy(
          stepFeatures[t],
          0,
          batch.stepFeatures,
          i * stepFeatures[t].length,
          stepFeatures[t].length);
    }
    return batch;
  }

  private void updateWeights() {
    for (Map.Entry<String, NDArray> entry : weights.entrySet()) {
      try (NDArray gradient = entry.getValue().getGradient()) {
        optimizer.update(entry.getKey(), entry.getValue(), gradient);
        gradient.subi(gradient);
      }
    }
  }

  private void updateAverages() {
    updates++;
    float decay = (float) Math.min(config.emaDecay(), (1.0 + updates) / (10.0 + updates));
    for (Map.Entry<String, NDArray> entry : weights.entrySet()) {
      try (NDArray scaled = entry.getValue().mul(1f - decay)) {
        averages.get(entry.getKey()).muli(decay).addi(scaled);
      }
    }
  }

  private int[] shuffledRows() {
    int[] order = new int[features.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private void initialiseWeights(SplittableRandom initRandom) {
    for (Denoiser.Spec spec : specs) {
      float[] values = initialValues(spec, initRandom);
      if (Denoiser.GROUP_TABLE.equals(spec.name())) {
        Arrays.fill(values, 0, conditioning.groupOwnRows() * spec.shape()[1], 0f);
      }
      Shape shape = new Shape(toLongs(spec.shape()));
      NDArray weight = manager.create(values, shape);
      weight.setRequiresGradient(true);
      weights.put(spec.name(), weight);
      averages.put(spec.name(), manager.create(values, shape));
    }
  }

  private static float[] initialValues(Denoiser.Spec spec, SplittableRandom initRandom) {
    int[] shape = spec.shape();
    float[] values = new float[CddpmModel.NamedArray.size(shape)];
    if (spec.init() == Denoiser.Init.XAVIER_UNIFORM) {
      double bound = Math.sqrt(6.0 / (shape[0] + shape[1]));
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((2.0 * initRandom.nextDouble() - 1.0) * bound);
      }
    } else if (spec.init() == Denoiser.Init.STANDARD_NORMAL) {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) initRandom.nextGaussian();
      }
    }
    return values;
  }

  /**
   * Returns the averaged weights (of the best epoch when validating), the group table folded to one
   * embedding per group.
   */
  private List<CddpmModel.NamedArray> averagedWeights() {
    List<CddpmModel.NamedArray> result = new ArrayList<>();
    for (Denoiser.Spec spec : specs) {
      float[] values =
          bestAverages == null
              ? averages.get(spec.name()).toFloatArray()
              : bestAverages.get(spec.name());
      int[] shape = spec.shape();
      if (Denoiser.GROUP_TABLE.equals(spec.name())) {
        values = conditioning.fold(values, shape[1]);
        shape = new int[] {numGroups + 1, shape[1]};
      }
      result.add(new CddpmModel.NamedArray(spec.name(), shape, values));
    }
    return result;
  }

  static long[] toLongs(int[] shape) {
    long[] result = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      result[i] = shape[i];
    }
    return result;
  }

  private static void applyThreads(NDManager manager, int threads) {
    Engine engine = manager.getEngine();
    if (threads > 0 && "PyTorch".equals(engine.getEngineName())) {
      JniUtils.setNumThreads(threads);
      LOG.info("Set PyTorch intra-op threads to {} for this process", threads);
    } else if (threads > 0) {
      LOG.warn("Ignoring threads = {}: engine {} is not PyTorch", threads, engine.getEngineName());
    }
  }

  private static void checkGroupCount(int numGroups) {
    if (numGroups < 1) {
      throw new IllegalArgumentException(
          "numGroups must be >= 1 but was " + numGroups + "; pass the number of distinct groups");
    }
  }

  private static void checkData(float[][] features, int[] groups, int numGroups) {
    checkGroupCount(numGroups);
    if (features.length == 0 || features[0].length == 0) {
      throw new IllegalArgumentException(
          "features must hold at least one row of at least one column but had "
              + features.length
              + " rows; check the input table and the encoded columns");
    }
    if (groups.length != features.length) {
      throw new IllegalArgumentException(
          "groups must have one entry per feature row: "
              + groups.length
              + " groups for "
              + features.length
              + " rows");
    }
    for (int i = 0; i < features.length; i++) {
      checkRow(features[i], features[0].length, i);
      if (groups[i] < 0 || groups[i] >= numGroups) {
        throw new IllegalArgumentException(
            "groups["
                + i
                + "] = "
                + groups[i]
                + " is outside [0, "
                + numGroups
                + "); index groups from 0 to numGroups - 1");
      }
    }
  }

  private static void checkRow(float[] row, int width, int index) {
    if (row.length != width) {
      throw new IllegalArgumentException(
          "features row " + index + " has " + row.length + " columns, row 0 has " + width);
    }
    for (float value : row) {
      if (!Float.isFinite(value)) {
        throw new IllegalArgumentException(
            "features row "
                + index
                + " holds "
                + value
                + "; impute or drop non-finite values "
                + "before training");
      }
    }
  }

  /**
   * One minibatch drawn in Java: noised rows, their noise, step features and the groups'
   * conditioning vectors.
   */
  private static final class TrainingBatch {
    final int rows;
    final int width;
    final float[] noisy;
    final float[] noise;
    final float[] stepFeatures;
    final float[] conditions;

    TrainingBatch(int rows, int width, int timeColumns, int conditionColumns) {
      this.rows = rows;
      this.width = width;
      this.noisy = new float[rows * width];
      this.noise = new float[rows * width];
      this.stepFeatures = new float[rows * timeColumns];
      this.conditions = new float[rows * conditionColumns];
    }

    void setRow(int i, float[] clean, double alphaBar, SplittableRandom random) {
      double signal = Math.sqrt(alphaBar);
      double spread = Math.sqrt(1.0 - alphaBar);
      for (int k = 0; k < width; k++) {
        float epsilon = (float) random.nextGaussian();
        noise[i * width + k] = epsilon;
        noisy[i * width + k] = (float) (signal * clean[k] + spread * epsilon);
      }
    }
  }
}
