package org.mcrage.job;

import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.diffusion.CddpmConfig;

/** Maps the job's {@code model.*} settings onto the diffusion model's hyper-parameters. */
final class ModelSettings {
  private ModelSettings() {}

  /**
   * Returns the model's hyper-parameters for a run.
   *
   * @param config the run's settings
   * @param trainingRows rows the model trains on: with the batch size, they decide how many epochs
   *     fit in {@code model.max-steps}
   * @return the validated model config
   */
  static CddpmConfig cddpm(JobConfig config, int trainingRows) {
    return CddpmConfig.builder()
        .hiddenWidth(config.get(Settings.HIDDEN_WIDTH))
        .hiddenLayers(config.get(Settings.HIDDEN_LAYERS))
        .epochs(epochs(config, trainingRows))
        .batchSize(config.get(Settings.BATCH_SIZE))
        .learningRate(config.get(Settings.LEARNING_RATE))
        .contextDropout(config.get(Settings.CONTEXT_DROPOUT))
        .guidanceWeight(config.get(Settings.GUIDANCE_WEIGHT))
        .emaDecay(config.get(Settings.EMA_DECAY))
        .steps(config.get(Settings.STEPS))
        .betaMin(config.get(Settings.BETA_MIN))
        .betaMax(config.get(Settings.BETA_MAX))
        .schedule(config.get(Settings.SCHEDULE))
        .seed(config.get(Settings.SEED))
        .threads(config.get(Settings.TRAIN_THREADS))
        .build()
        .validate();
  }

  /**
   * Returns the configured epochs, cut so that training takes at most {@code model.max-steps}
   * optimizer steps (at least one epoch).
   */
  static int epochs(JobConfig config, int trainingRows) {
    long stepsPerEpoch =
        Math.max(
            1,
            (trainingRows + config.get(Settings.BATCH_SIZE) - 1L)
                / config.get(Settings.BATCH_SIZE));
    long fitting = Math.max(1, config.get(Settings.MAX_STEPS) / stepsPerEpoch);
    return (int) Math.min(config.get(Settings.EPOCHS), fitting);
  }
}
