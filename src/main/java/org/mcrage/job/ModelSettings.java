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
   * @return the validated model config
   */
  static CddpmConfig cddpm(JobConfig config) {
    return CddpmConfig.builder()
        .hiddenWidth(config.get(Settings.HIDDEN_WIDTH))
        .hiddenLayers(config.get(Settings.HIDDEN_LAYERS))
        .epochs(config.get(Settings.EPOCHS))
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
}
