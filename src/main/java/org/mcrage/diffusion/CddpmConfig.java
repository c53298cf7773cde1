package org.mcrage.diffusion;

import java.util.Locale;

/**
 * Immutable hyper-parameters for training and sampling the conditional diffusion model.
 *
 * <p>Build one with {@link #builder()} (every setting starts at its default) or change one field of
 * an existing config with {@link #toBuilder()}; {@link Builder#build()} validates.
 *
 * @param hiddenWidth units in each hidden layer of the denoiser; default 256
 * @param hiddenLayers number of hidden layers; default 3
 * @param timeEmbeddingDim size of the sinusoidal step features and of their learned embedding
 *     (even); default 32
 * @param groupEmbeddingDim size of the learned group embedding; default 16
 * @param epochs passes over the training rows; 0 returns the initial weights; default 200
 * @param batchSize rows per optimiser step; default 256
 * @param learningRate Adam's fixed learning rate; default 1e-3
 * @param contextDropout probability of training a row with the null group, which enables
 *     classifier-free guidance; in [0, 1); default 0.1
 * @param guidanceWeight w in eps = (1 + w) eps_cond - w eps_uncond; in [0, 20]; default 0 (the
 *     conditional prediction alone: guidance moved minority samples away from the real rows in the
 *     fidelity benchmark)
 * @param emaDecay decay of the exponential moving average of the weights; in [0, 1); default 0.995
 * @param steps diffusion steps T; 0 takes them from the paper's bound; default 0
 * @param betaMin first beta of the linear schedule; default 1e-4
 * @param betaMax last beta of the linear schedule, also used by the bound; default 0.2
 * @param schedule {@code linear} or {@code cosine}; default {@code linear}
 * @param seed seed of every random draw in training; default 42
 * @param threads PyTorch intra-op threads (process-wide); 0 leaves the engine's default; default 0
 * @param architecture the denoiser: {@code mlp} (SiLU hidden layers, linear output), {@code resmlp}
 *     (residual blocks with layer normalisation) or {@code paper} (the published network: GELU
 *     hidden layers and a GELU on the noise prediction); default {@code mlp}
 * @param validationFraction share of each group's rows held out of training to pick the epoch whose
 *     averaged weights have the lowest validation loss; in [0, 0.5]; default 0 (off: the weights
 *     after the last epoch)
 */
public record CddpmConfig(
    int hiddenWidth,
    int hiddenLayers,
    int timeEmbeddingDim,
    int groupEmbeddingDim,
    int epochs,
    int batchSize,
    double learningRate,
    double contextDropout,
    double guidanceWeight,
    double emaDecay,
    int steps,
    double betaMin,
    double betaMax,
    String schedule,
    long seed,
    int threads,
    String architecture,
    double validationFraction) {

  /** The largest validation fraction accepted. */
  public static final double MAX_VALIDATION_FRACTION = 0.5;

  /** The denoiser architectures: ours, a residual MLP, and the paper's network. */
  public static final java.util.List<String> ARCHITECTURES =
      java.util.List.of("mlp", "resmlp", "paper");

  /** Creates a config of the {@code mlp} architecture (the constructor of format version 1). */
  public CddpmConfig(
      int hiddenWidth,
      int hiddenLayers,
      int timeEmbeddingDim,
      int groupEmbeddingDim,
      int epochs,
      int batchSize,
      double learningRate,
      double contextDropout,
      double guidanceWeight,
      double emaDecay,
      int steps,
      double betaMin,
      double betaMax,
      String schedule,
      long seed,
      int threads) {
    this(
        hiddenWidth,
        hiddenLayers,
        timeEmbeddingDim,
        groupEmbeddingDim,
        epochs,
        batchSize,
        learningRate,
        contextDropout,
        guidanceWeight,
        emaDecay,
        steps,
        betaMin,
        betaMax,
        schedule,
        seed,
        threads,
        "mlp",
        0.0);
  }

  /** The largest guidance weight accepted. */
  public static final double MAX_GUIDANCE_WEIGHT = 20.0;

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the default configuration. */
  public static CddpmConfig defaults() {
    return builder().build();
  }

  /**
   * Returns a builder holding an architecture's preset hyper-parameters.
   *
   * <ul>
   *   <li>{@code mlp}: the defaults (256 wide, 3 SiLU layers, linear betas 1e-4..0.2, T from the
   *       paper's bound, guidance 0, EMA 0.995).
   *   <li>{@code resmlp}: 3 residual blocks 256 wide with layer normalisation, otherwise as {@code
   *       mlp}.
   *   <li>{@code paper}: the published generator: 576 wide, 3 GELU layers, a GELU on the output, T
   *       = 35, linear betas 1e-10..0.2, guidance 3, 1000 epochs, no weight averaging.
   * </ul>
   *
   * @param architecture one of {@link #ARCHITECTURES}
   */
  public static Builder preset(String architecture) {
    Builder builder = builder().architecture(architecture);
    switch (architecture) {
      case "mlp":
        return builder;
      case "resmlp":
        return builder;
      case "paper":
        return builder
            .hiddenWidth(576)
            .hiddenLayers(3)
            .steps(35)
            .betaMin(1e-10)
            .betaMax(0.2)
            .guidanceWeight(3.0)
            .epochs(1000)
            .emaDecay(0.0);
      default:
        fail("architecture", architecture, String.join(", ", ARCHITECTURES));
        return builder;
    }
  }

  /** Returns a builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns the noise schedule for training rows of the given diameter: {@code steps} steps when
   * set, otherwise the paper's bound for {@code betaMax} and the diameter.
   *
   * @param diameter largest distance between two scaled training rows
   */
  public NoiseSchedule noiseSchedule(double diameter) {
    int count = steps > 0 ? steps : NoiseSchedule.stepsFromBound(betaMax, diameter);
    return "cosine".equals(schedule)
        ? NoiseSchedule.cosine(count)
        : NoiseSchedule.linear(count, betaMin, betaMax);
  }

  /**
   * Checks every setting and returns this config.
   *
   * @throws IllegalArgumentException naming the first bad setting, its value and a fix
   */
  public CddpmConfig validate() {
    atLeast("hiddenWidth", hiddenWidth, 1, "256");
    atLeast("hiddenLayers", hiddenLayers, 1, "3");
    atLeast("timeEmbeddingDim", timeEmbeddingDim, 2, "32");
    if (timeEmbeddingDim % 2 != 0) {
      fail("timeEmbeddingDim", timeEmbeddingDim, "an even number such as 32");
    }
    atLeast("groupEmbeddingDim", groupEmbeddingDim, 1, "16");
    atLeast("epochs", epochs, 0, "200");
    atLeast("batchSize", batchSize, 1, "256");
    atLeast("steps", steps, 0, "0 (from the bound)");
    atLeast("threads", threads, 0, "0 (engine default)");
    if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
      fail("learningRate", learningRate, "a positive number such as 1e-3");
    }
    inUnitInterval("contextDropout", contextDropout, "0.1");
    inUnitInterval("emaDecay", emaDecay, "0.995");
    if (!(guidanceWeight >= 0.0 && guidanceWeight <= MAX_GUIDANCE_WEIGHT)) {
      fail("guidanceWeight", guidanceWeight, "a value in [0, 20] such as 1.0");
    }
    if (!(betaMin > 0.0 && betaMin <= betaMax && betaMax < 1.0)) {
      fail("betaMin/betaMax", betaMin + "/" + betaMax, "0 < betaMin <= betaMax < 1, e.g. 1e-4/0.2");
    }
    if (!"linear".equals(schedule) && !"cosine".equals(schedule)) {
      fail("schedule", schedule, "linear or cosine");
    }
    if (!ARCHITECTURES.contains(architecture)) {
      fail("architecture", architecture, String.join(", ", ARCHITECTURES));
    }
    if (!(validationFraction >= 0.0 && validationFraction <= MAX_VALIDATION_FRACTION)) {
      fail("validationFraction", validationFraction, "a value in [0, 0.5] such as 0.1 (0: off)");
    }
    return this;
  }

  private static void atLeast(String name, int value, int minimum, String example) {
    if (value < minimum) {
      fail(name, value, "an integer >= " + minimum + " such as " + example);
    }
  }

  private static void inUnitInterval(String name, double value, String example) {
    if (!(value >= 0.0 && value < 1.0)) {
      fail(name, value, "a value in [0, 1) such as " + example);
    }
  }

  private static void fail(String name, Object value, String fix) {
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT, "Invalid CddpmConfig: %s was %s; set it to %s", name, value, fix));
  }

  /** A mutable builder of {@link CddpmConfig}; every setter returns the builder. */
  public static final class Builder {
    private int hiddenWidth = 256;
    private int hiddenLayers = 3;
    private int timeEmbeddingDim = 32;
    private int groupEmbeddingDim = 16;
    private int epochs = 200;
    private int batchSize = 256;
    private double learningRate = 1e-3;
    private double contextDropout = 0.1;
    private double guidanceWeight = 0.0;
    private double emaDecay = 0.995;
    private int steps = 0;
    private double betaMin = 1e-4;
    private double betaMax = 0.2;
    private String schedule = "linear";
    private long seed = 42L;
    private int threads = 0;
    private String architecture = "mlp";
    private double validationFraction = 0.0;

    private Builder() {}

    private Builder(CddpmConfig config) {
      hiddenWidth = config.hiddenWidth;
      hiddenLayers = config.hiddenLayers;
      timeEmbeddingDim = config.timeEmbeddingDim;
      groupEmbeddingDim = config.groupEmbeddingDim;
      epochs = config.epochs;
      batchSize = config.batchSize;
      learningRate = config.learningRate;
      contextDropout = config.contextDropout;
      guidanceWeight = config.guidanceWeight;
      emaDecay = config.emaDecay;
      steps = config.steps;
      betaMin = config.betaMin;
      betaMax = config.betaMax;
      schedule = config.schedule;
      seed = config.seed;
      threads = config.threads;
      architecture = config.architecture;
      validationFraction = config.validationFraction;
    }

    /** Sets the units in each hidden layer. */
    public Builder hiddenWidth(int value) {
      hiddenWidth = value;
      return this;
    }

    /** Sets the number of hidden layers. */
    public Builder hiddenLayers(int value) {
      hiddenLayers = value;
      return this;
    }

    /** Sets the size of the step embedding (even). */
    public Builder timeEmbeddingDim(int value) {
      timeEmbeddingDim = value;
      return this;
    }

    /** Sets the size of the group embedding. */
    public Builder groupEmbeddingDim(int value) {
      groupEmbeddingDim = value;
      return this;
    }

    /** Sets the number of passes over the training rows. */
    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    /** Sets the rows per optimiser step. */
    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    /** Sets Adam's learning rate. */
    public Builder learningRate(double value) {
      learningRate = value;
      return this;
    }

    /** Sets the probability of training a row with the null group. */
    public Builder contextDropout(double value) {
      contextDropout = value;
      return this;
    }

    /** Sets the classifier-free guidance weight w. */
    public Builder guidanceWeight(double value) {
      guidanceWeight = value;
      return this;
    }

    /** Sets the decay of the weights' moving average. */
    public Builder emaDecay(double value) {
      emaDecay = value;
      return this;
    }

    /** Sets the diffusion steps; 0 takes them from the paper's bound. */
    public Builder steps(int value) {
      steps = value;
      return this;
    }

    /** Sets the first beta of the linear schedule. */
    public Builder betaMin(double value) {
      betaMin = value;
      return this;
    }

    /** Sets the last beta of the linear schedule. */
    public Builder betaMax(double value) {
      betaMax = value;
      return this;
    }

    /** Sets the schedule kind, {@code linear} or {@code cosine}. */
    public Builder schedule(String value) {
      schedule = value;
      return this;
    }

    /** Sets the seed of every random draw in training. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** Sets PyTorch's intra-op threads; 0 leaves the engine's default. */
    public Builder threads(int value) {
      threads = value;
      return this;
    }

    /** Sets the denoiser architecture, one of {@link #ARCHITECTURES}. */
    public Builder architecture(String value) {
      architecture = value;
      return this;
    }

    /** Sets the share of each group's rows held out to pick the best epoch; 0 turns it off. */
    public Builder validationFraction(double value) {
      validationFraction = value;
      return this;
    }

    /** Returns the validated configuration. */
    public CddpmConfig build() {
      return new CddpmConfig(
              hiddenWidth,
              hiddenLayers,
              timeEmbeddingDim,
              groupEmbeddingDim,
              epochs,
              batchSize,
              learningRate,
              contextDropout,
              guidanceWeight,
              emaDecay,
              steps,
              betaMin,
              betaMax,
              schedule,
              seed,
              threads,
              architecture,
              validationFraction)
          .validate();
    }
  }
}
