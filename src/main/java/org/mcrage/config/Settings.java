package org.mcrage.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of the job, declared once with its key, default, validation and help.
 *
 * <p>Keys are dotted; a {@code conf/} file nests them under a {@code mcrage} block, the command
 * line takes them as {@code --set key=value} (or through the named options). The order of
 * precedence is written down in {@link ConfigResolver}.
 */
public final class Settings {

  private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();

  /** Path or metastore table name of the input table. */
  public static final Setting<String> INPUT_PATH =
      register(text("input.path", null, "path of a CSV, Parquet or Delta table, or a table name"));

  /** Input format. */
  public static final Setting<String> INPUT_FORMAT =
      register(
          choice(
              "input.format",
              "auto",
              "how to read the input (auto guesses from the path)",
              "auto",
              "csv",
              "parquet",
              "delta",
              "table"));

  /** The label (diagnosis) column. */
  public static final Setting<String> LABEL =
      register(text("label", null, "the label (diagnosis) column"));

  /** The demographic columns. */
  public static final Setting<List<String>> DEMOGRAPHICS =
      register(list("demographics", null, "the demographic attribute columns, comma separated"));

  /** The feature columns; empty means every other numeric column. */
  public static final Setting<List<String>> FEATURES =
      register(list("features", "", "the feature columns; empty: every other numeric column"));

  /** Declared kinds of feature columns; the others are inferred. */
  public static final Setting<String> COLUMN_KINDS =
      register(
          Setting.of(
              "column-kinds",
              "",
              s -> s,
              org.mcrage.encoding.ColumnKind::isValid,
              org.mcrage.encoding.ColumnKind.SYNTAX,
              "declared feature kinds, e.g. smoking:categorical,age:integer,creatinine:bounded[0,]"
                  + " (empty: inferred)"));

  /** Where the rebalanced Delta table goes. */
  public static final Setting<String> OUTPUT_PATH =
      register(text("output.path", null, "path of the rebalanced Delta table"));

  /** What happens to the rows of other runs already in the output table. */
  public static final Setting<String> OUTPUT_MODE =
      register(
          choice(
              "output.mode",
              "overwrite",
              "overwrite: the table holds this run only; append: keep other run ids' rows",
              "overwrite",
              "append"));

  /** The run id stamped on every output row. */
  public static final Setting<String> RUN_ID =
      register(
          Setting.of(
              "run-id",
              "",
              s -> s,
              s -> s.isEmpty() || s.matches("[A-Za-z0-9_.:+-]{1,128}"),
              "letters, digits and _ . : + - (at most 128)",
              "id of this run; a rerun with the same id replaces its rows (empty: a timestamp)"));

  /** The seed of every random choice. */
  public static final Setting<Long> SEED =
      register(Setting.of("seed", "42", Long::parseLong, v -> true, "an integer", "random seed"));

  /** Keep only a seeded fraction of one group's rows, for experiments. */
  public static final Setting<String> SUBSAMPLE =
      register(
          Setting.of(
              "subsample",
              "",
              s -> s,
              s -> s.isEmpty() || s.matches("[^=]+=[^:]*:(0(\\.\\d+)?|1(\\.0+)?|\\.\\d+)"),
              "COLUMN=VALUE:FRACTION with FRACTION in [0, 1], e.g. SEX=F:0.1",
              "keep only a seeded fraction of the rows where COLUMN=VALUE (experiments)"));

  /** Groups with fewer real rows than this are handled by the small-group policy. */
  public static final Setting<Integer> MIN_GROUP_SIZE =
      register(
          integer("groups.min-size", "10", 1, "smallest group (real rows) the model may learn"));

  /** What to do about a group below the minimum size. */
  public static final Setting<String> SMALL_GROUP_POLICY =
      register(
          choice(
              "groups.small-group-policy",
              "error",
              "error: stop; warn: fill it anyway; skip: leave it unfilled",
              "error",
              "warn",
              "skip"));

  /** What happens to rows with a null in the label or a demographic column. */
  public static final Setting<String> NULL_POLICY =
      register(
          choice(
              "groups.null-policy",
              "exclude",
              "rows with a null label or demographic: exclude (counted in the log, not in any"
                  + " group) or level (an explicit 'missing' level)",
              "exclude",
              "level"));

  /** How many rows each group is filled up to. */
  public static final Setting<String> FILL =
      register(
          Setting.of(
              "groups.fill",
              "majority",
              s -> s,
              org.mcrage.groups.FillPolicy::isValid,
              org.mcrage.groups.FillPolicy.SYNTAX,
              "fill target of each group: majority, label (the largest of its label),"
                  + " demographic (each demographic combination up to the largest one, keeping its"
                  + " label mix), ratio:R (R x the majority) or table:PHI=N,..."));

  /** Most synthetic rows per real row of a group (0: no cap). */
  public static final Setting<Double> MAX_SYNTHETIC_PER_REAL =
      register(
          decimal(
              "groups.max-synthetic-per-real",
              "0",
              0,
              true,
              1_000_000,
              "cap on synthetic rows per real row in a group (0: no cap)"));

  /** Width of the denoiser's hidden layers. */
  public static final Setting<Integer> HIDDEN_WIDTH =
      register(integer("model.hidden-width", "256", 4, "denoiser hidden layer width"));

  /** Number of hidden layers of the denoiser. */
  public static final Setting<Integer> HIDDEN_LAYERS =
      register(integer("model.hidden-layers", "3", 1, "denoiser hidden layers"));

  /** Training epochs. */
  public static final Setting<Integer> EPOCHS =
      register(integer("model.epochs", "200", 1, "training epochs over the input rows"));

  /** Training steps at most; large tables get fewer epochs so training time stays bounded. */
  public static final Setting<Integer> MAX_STEPS =
      register(
          integer(
              "model.max-steps",
              "20000",
              1,
              "optimizer steps at most; epochs are cut to fit on large tables"));

  /** Minibatch size. */
  public static final Setting<Integer> BATCH_SIZE =
      register(integer("model.batch-size", "256", 1, "training minibatch rows"));

  /** Adam learning rate. */
  public static final Setting<Double> LEARNING_RATE =
      register(decimal("model.learning-rate", "0.001", 0, false, 1, "Adam learning rate"));

  /** Probability of training with the null group (classifier-free guidance). */
  public static final Setting<Double> CONTEXT_DROPOUT =
      register(
          decimal("model.context-dropout", "0.1", 0, true, 1, "chance a row trains unconditioned"));

  /** Guidance weight w: eps = (1 + w) eps_cond - w eps_uncond. */
  public static final Setting<Double> GUIDANCE_WEIGHT =
      register(decimal("model.guidance-weight", "0.0", 0, true, 20, "guidance weight w"));

  /** Decay of the exponential moving average of the weights. */
  public static final Setting<Double> EMA_DECAY =
      register(decimal("model.ema-decay", "0.995", 0, true, 1, "EMA decay of the weights"));

  /** Diffusion steps; 0 computes T' from the paper's bound. */
  public static final Setting<Integer> STEPS =
      register(integer("model.steps", "0", 0, "diffusion steps (0: the paper's bound T')"));

  /** Smallest noise variance of the schedule. */
  public static final Setting<Double> BETA_MIN =
      register(decimal("model.beta-min", "0.0001", 0, false, 1, "first beta of the schedule"));

  /** Largest noise variance of the schedule. */
  public static final Setting<Double> BETA_MAX =
      register(decimal("model.beta-max", "0.2", 0, false, 1, "last beta of the schedule"));

  /** Noise schedule. */
  public static final Setting<String> SCHEDULE =
      register(choice("model.schedule", "linear", "beta schedule", "linear", "cosine"));

  /** The denoiser architecture, whose preset fills every model setting left at its default. */
  public static final Setting<String> ARCHITECTURE =
      register(
          choice(
              "model.architecture",
              "mlp",
              "denoiser preset: mlp (ours), resmlp (residual), paper (the published generator);"
                  + " model settings left at their defaults take the preset's values",
              "mlp",
              "resmlp",
              "paper"));

  /** What the denoiser is conditioned on: its label and demographic levels, the group, or both. */
  public static final Setting<String> CONDITIONING =
      register(
          choice(
              "model.conditioning",
              "additive",
              "group (a learned embedding per group), factored (the group's embedding plus one"
                  + " per label and demographic level, which small groups share with the rest) or"
                  + " additive (one per label and demographic level, none per group)",
              "group",
              "factored",
              "additive"));

  /** Share of each group's rows held out of training to pick the best epoch (0: off). */
  public static final Setting<Double> VALIDATION_FRACTION =
      register(
          decimal(
              "model.validation-fraction",
              "0",
              0,
              true,
              0.5,
              "share of each group's rows held out to keep the epoch of lowest validation loss"
                  + " (0: off, the last epoch)"));

  /** How numeric features are mapped into the model's space. */
  public static final Setting<String> ENCODING_TRANSFORM =
      register(
          choice(
              "encoding.transform",
              "standard",
              "numeric features: quantile (onto a normal through 1000 empirical quantiles: keeps"
                  + " skewed marginals and their range) or standard (mean and standard deviation)",
              "quantile",
              "standard"));

  /** Whether a run measures the fidelity and privacy of its synthetic rows. */
  public static final Setting<Boolean> REPORT_FIDELITY =
      register(
          Setting.of(
              "report.fidelity",
              "true",
              Settings::parseBoolean,
              v -> true,
              "true or false",
              "measure fidelity (KS, Wasserstein, moments, correlations, two-sample AUROC) and"
                  + " privacy (DCR) into the manifest"));

  /** Synthetic rows closer than this to a real row of their group are replaced. */
  public static final Setting<Double> PRIVACY_MIN_DISTANCE =
      register(
          decimal(
              "privacy.min-distance",
              "0.05",
              0,
              true,
              100,
              "replace synthetic rows within this distance (standardised units) of a real row of"
                  + " their group; 0 rejects exact copies only"));

  /** Epochs between training checkpoints; 0 turns them off. */
  public static final Setting<Integer> CHECKPOINT_EVERY =
      register(
          integer(
              "model.checkpoint-every",
              "10",
              0,
              "epochs between training checkpoints a rerun of the run id resumes from (0: none)"));

  /** Rows the driver trains on at most; a stratified sample beyond. */
  public static final Setting<Integer> MAX_TRAIN_ROWS =
      register(
          integer(
              "model.max-train-rows",
              "200000",
              100,
              "rows collected to the driver for training; a stratified sample beyond"));

  /** PyTorch intra-op threads for training on the driver (0: DJL's default). */
  public static final Setting<Integer> TRAIN_THREADS =
      register(integer("model.threads", "0", 0, "PyTorch threads for training (0: default)"));

  /** Rows one sampling task generates at most. */
  public static final Setting<Integer> ROWS_PER_TASK =
      register(integer("sampling.rows-per-task", "20000", 1, "rows per sampling task"));

  /**
   * Reverse steps per synthetic row: 0 takes every step of the model's schedule (ancestral DDPM);
   * fewer takes that many evenly strided DDIM steps.
   */
  public static final Setting<Integer> SAMPLING_STEPS =
      register(
          integer(
              "sampling.steps",
              "0",
              0,
              "reverse steps per row (0: every step of the schedule; fewer: strided DDIM steps)"));

  /** DDIM noise scale of strided steps: 1 stochastic (DDPM-like), 0 deterministic. */
  public static final Setting<Double> SAMPLING_ETA =
      register(
          decimal(
              "sampling.eta",
              "1.0",
              0,
              true,
              1,
              "noise of strided DDIM steps: 1 stochastic (DDPM-like), 0 deterministic"));

  /** The variance of each reverse step's noise: the posterior's, or the upper bound beta_t. */
  public static final Setting<String> SAMPLING_VARIANCE =
      register(
          choice(
              "sampling.variance",
              "posterior",
              "noise variance of each reverse step: posterior (beta-tilde) or beta (the upper"
                  + " bound, wider samples)",
              "posterior",
              "beta"));

  /** Where training and sampling run: cpu, gpu (fail without one) or auto (a GPU if seen). */
  public static final Setting<String> DEVICE =
      register(
          choice(
              "device",
              "auto",
              "training and sampling device: cpu, gpu (stop if none),"
                  + " auto (a GPU when one is seen)",
              "cpu",
              "gpu",
              "auto"));

  /** Seeds of the evaluation: seed, seed + 1, ... */
  public static final Setting<Integer> EVALUATE_SEEDS =
      register(integer("evaluate.seeds", "10", 1, "evaluation repeats, one split per seed"));

  /** Share of each intersectional group held out for testing. */
  public static final Setting<Double> EVALUATE_TEST_FRACTION =
      register(decimal("evaluate.test-fraction", "0.2", 0, false, 0.9, "test share of each group"));

  /** Share of each group of the imbalanced training rows held out for validation. */
  public static final Setting<Double> EVALUATE_VALIDATION_FRACTION =
      register(
          decimal(
              "evaluate.validation-fraction",
              "0.1",
              0,
              true,
              0.9,
              "validation share of the imbalanced training rows (0: none)"));

  /** The evaluation's imbalance experiment; empty: the {@code subsample} setting. */
  public static final Setting<String> EVALUATE_SUBSAMPLE =
      register(
          Setting.of(
              "evaluate.subsample",
              "",
              s -> s,
              s -> s.isEmpty() || s.matches("[^=]+=[^:]*:(0(\\.\\d+)?|1(\\.0+)?|\\.\\d+)"),
              "COLUMN=VALUE:FRACTION with FRACTION in [0, 1], e.g. SEX=F:0.1",
              "keep a seeded fraction of one group of each training split (empty: subsample)"));

  /**
   * Every training set the evaluation knows, {@code imbalanced} (the baseline, required) first: the
   * rebalancings compared, the real balanced control and the two oracle controls.
   */
  public static final List<String> EVALUATE_VARIANT_NAMES =
      List.of(
          "imbalanced",
          "random_oversampling",
          "smote",
          "mcrage",
          "balanced",
          "oracle_mean",
          "oracle_shape");

  /** The variants the evaluation trains a model on. */
  public static final Setting<List<String>> EVALUATE_VARIANTS =
      register(
          Setting.of(
              "evaluate.variants",
              "imbalanced,random_oversampling,smote,mcrage,balanced",
              Settings::splitList,
              values -> values.contains("imbalanced") && EVALUATE_VARIANT_NAMES.containsAll(values),
              "a list of imbalanced (required), "
                  + String.join(
                      ", ", EVALUATE_VARIANT_NAMES.subList(1, EVALUATE_VARIANT_NAMES.size())),
              "training sets compared (each one a model per seed)"));

  /** The label value counted as positive (F1, TPR, FPR, AUROC). */
  public static final Setting<String> EVALUATE_POSITIVE_LABEL =
      register(
          Setting.of(
              "evaluate.positive-label",
              "",
              s -> s,
              s -> true,
              "a value of the label column",
              "positive label value (empty: the rarer label in the input)"));

  /** Trees of the downstream random forest. */
  public static final Setting<Integer> EVALUATE_TREES =
      register(integer("evaluate.trees", "300", 1, "random forest trees (the paper: 300)"));

  /** Depth of the downstream random forest's trees. */
  public static final Setting<Integer> EVALUATE_MAX_DEPTH =
      register(integer("evaluate.max-depth", "20", 1, "random forest depth (the paper: 20)"));

  /** Fewest training rows in a leaf of the downstream random forest. */
  public static final Setting<Integer> EVALUATE_MIN_LEAF_ROWS =
      register(
          integer("evaluate.min-leaf-rows", "5", 1, "random forest rows per leaf (the paper: 5)"));

  /** Neighbours of the SMOTE baseline. */
  public static final Setting<Integer> EVALUATE_SMOTE_K =
      register(integer("evaluate.smote-k", "5", 1, "SMOTE neighbours within a group"));

  /**
   * Largest SMOTE group (rows) whose neighbours are searched exactly in one task; a larger group is
   * split into spatial blocks of about this many rows, searched exactly each (approximate).
   */
  public static final Setting<Integer> SMOTE_EXACT_MAX_ROWS =
      register(
          integer(
              "smote.exact-max-rows",
              "2000000",
              100,
              "largest group whose SMOTE neighbours are exact (one task); larger groups are split"
                  + " into spatial blocks of about this many rows (approximate neighbours)"));

  /** Where the evaluation writes its report. */
  public static final Setting<String> EVALUATE_REPORT_DIR =
      register(text("evaluate.report-dir", null, "folder for report.json, report.md and PNGs"));

  /** Spark master used when the job is not launched by spark-submit. */
  public static final Setting<String> SPARK_MASTER =
      register(text("spark.master", "local[*]", "Spark master when not run by spark-submit"));

  private Settings() {}

  /** Returns every declared setting by key, in declaration order. */
  public static Map<String, Setting<?>> all() {
    return Collections.unmodifiableMap(ALL);
  }

  /** Returns the declared keys. */
  public static Set<String> keys() {
    return Collections.unmodifiableSet(ALL.keySet());
  }

  /**
   * Returns the known key closest to an unknown one, for "did you mean" messages.
   *
   * @param unknown the key that was not recognised
   * @return the closest declared key
   */
  public static String closestKey(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String key : ALL.keySet()) {
      int distance = editDistance(unknown.toLowerCase(Locale.ROOT), key);
      if (distance < bestDistance) {
        best = key;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }

    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static <T> Setting<T> register(Setting<T> setting) {
    ALL.put(setting.key(), setting);
    return setting;
  }

  private static Setting<String> text(String key, String defaultValue, String help) {
    return Setting.of(key, defaultValue, s -> s, s -> !s.isEmpty(), "a non-empty text", help);
  }

  private static Setting<String> choice(
      String key, String defaultValue, String help, String... choices) {
    List<String> allowed = Arrays.asList(choices);
    return Setting.of(
        key,
        defaultValue,
        s -> s.toLowerCase(Locale.ROOT),
        allowed::contains,
        "one of " + String.join(", ", allowed),
        help);
  }

  private static Setting<List<String>> list(String key, String defaultValue, String help) {
    return Setting.of(
        key,
        defaultValue,
        Settings::splitList,
        values -> values.stream().noneMatch(String::isEmpty),
        "a comma-separated list of column names",
        help);
  }

  private static Setting<Integer> integer(String key, String defaultValue, int min, String help) {
    return Setting.of(
        key, defaultValue, Integer::parseInt, v -> v >= min, "an integer >= " + min, help);
  }

  private static Setting<Double> decimal(
      String key, String defaultValue, double min, boolean minInclusive, double max, String help) {
    String lower = minInclusive ? "[" : "(";
    return Setting.of(
        key,
        defaultValue,
        Double::parseDouble,
        v -> !v.isNaN() && (minInclusive ? v >= min : v > min) && v <= max,
        "a number in " + lower + min + ", " + max + "]",
        help);
  }

  private static Boolean parseBoolean(String text) {
    if ("true".equalsIgnoreCase(text.trim()) || "false".equalsIgnoreCase(text.trim())) {
      return Boolean.valueOf(text.trim().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException("not true or false: " + text);
  }

  private static List<String> splitList(String text) {
    List<String> values = new ArrayList<>();
    if (text.isBlank()) {
      return values;
    }
    for (String part : text.split(",")) {
      values.add(part.trim());
    }
    return List.copyOf(values);
  }
}
