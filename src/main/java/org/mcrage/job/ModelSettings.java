package org.mcrage.job;

import java.util.List;
import java.util.function.Consumer;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Setting;
import org.mcrage.config.Settings;
import org.mcrage.diffusion.CddpmConfig;
import org.mcrage.diffusion.Conditioning;
import org.mcrage.groups.GroupIndex;

/**
 * Maps the job's {@code model.*} settings onto the diffusion model's hyper-parameters.
 *
 * <p>{@code model.architecture} picks a preset ({@link CddpmConfig#preset(String)}); a model
 * setting whose value differs from its declared default overrides the preset. (A setting given
 * explicitly at its declared default therefore still takes the preset's value.)
 */
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
    CddpmConfig.Builder builder = CddpmConfig.preset(config.get(Settings.ARCHITECTURE));
    override(config, Settings.HIDDEN_WIDTH, builder::hiddenWidth);
    override(config, Settings.HIDDEN_LAYERS, builder::hiddenLayers);
    override(config, Settings.EPOCHS, builder::epochs);
    override(config, Settings.BATCH_SIZE, builder::batchSize);
    override(config, Settings.LEARNING_RATE, builder::learningRate);
    override(config, Settings.CONTEXT_DROPOUT, builder::contextDropout);
    override(config, Settings.GUIDANCE_WEIGHT, builder::guidanceWeight);
    override(config, Settings.EMA_DECAY, builder::emaDecay);
    override(config, Settings.STEPS, builder::steps);
    override(config, Settings.BETA_MIN, builder::betaMin);
    override(config, Settings.BETA_MAX, builder::betaMax);
    override(config, Settings.SCHEDULE, builder::schedule);
    override(config, Settings.VALIDATION_FRACTION, builder::validationFraction);
    builder.seed(config.get(Settings.SEED)).threads(config.get(Settings.TRAIN_THREADS));
    CddpmConfig chosen = builder.build();
    int epochs =
        epochs(chosen.epochs(), chosen.batchSize(), config.get(Settings.MAX_STEPS), trainingRows);
    return chosen.toBuilder().epochs(epochs).build().validate();
  }

  /**
   * Returns how the model is conditioned on the groups of an index ({@code model.conditioning});
   * the {@code paper} architecture conditions on the group alone, as published, unless the setting
   * is given another value than its default.
   *
   * @param config the run's settings
   * @param index the groups the model trains on
   */
  static Conditioning conditioning(JobConfig config, GroupIndex index) {
    String kind = config.get(Settings.CONDITIONING);
    boolean paperUnlessOverridden =
        "paper".equals(config.get(Settings.ARCHITECTURE))
            && kind.equals(Settings.CONDITIONING.defaultValue());
    if ("group".equals(kind) || paperUnlessOverridden) {
      return Conditioning.perGroup(index.size());
    }
    int[][] digits = new int[index.size()][];
    for (int phi = 0; phi < digits.length; phi++) {
      digits[phi] = index.digits(phi);
    }
    int[] levelCounts = index.levels().stream().mapToInt(List::size).toArray();
    return "additive".equals(kind)
        ? Conditioning.additive(digits, levelCounts)
        : Conditioning.factored(digits, levelCounts);
  }

  private static <T> void override(JobConfig config, Setting<T> setting, Consumer<T> target) {
    T value = config.get(setting);
    if (!value.equals(setting.parse(setting.defaultValue()))) {
      target.accept(value);
    }
  }

  /**
   * Returns the chosen epochs, cut so that training takes at most {@code model.max-steps} optimizer
   * steps (at least one epoch).
   */
  static int epochs(int epochs, int batchSize, int maxSteps, int trainingRows) {
    long stepsPerEpoch = Math.max(1, (trainingRows + batchSize - 1L) / batchSize);
    long fitting = Math.max(1, maxSteps / stepsPerEpoch);
    return (int) Math.min(epochs, fitting);
  }
}
