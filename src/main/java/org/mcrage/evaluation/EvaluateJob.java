package org.mcrage.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mcrage.baselines.OversampledRows;
import org.mcrage.baselines.RandomOversampler;
import org.mcrage.baselines.Smote;
import org.mcrage.config.JobConfig;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.fidelity.FidelityReport;
import org.mcrage.fidelity.FidelityRun;
import org.mcrage.fidelity.PrivacyReport;
import org.mcrage.groups.FillPolicy;
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.InputTable;
import org.mcrage.io.LineageColumns;
import org.mcrage.io.TableReader;
import org.mcrage.job.ColumnRoles;
import org.mcrage.job.Rebalancer;
import org.mcrage.job.Subsample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation protocol over many seeds: for each seed a stratified test split, the imbalanced
 * training rows (the {@code subsample} setting applied to the training split), a validation split
 * carved from them, the training variants, a random forest on each, and metrics per group; then
 * statistics across seeds and the report.
 *
 * <p>Seeds are {@code seed, seed + 1, ...}; a seed's split is shared by all its variants, so
 * differences between variants are paired. The balanced control is the full training split less the
 * validation rows. Each seed logs one INFO line per variant.
 */
public final class EvaluateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
  private static final String ROW_ID = "_mcrage_row_id";
  private static final int DENSITY_ROWS = 2000;

  private final SparkSession spark;
  private final JobConfig config;

  /**
   * What the evaluation produced.
   *
   * @param reportDir the folder holding the report
   * @param report the report's content
   */
  public record Result(Path reportDir, EvaluationReport report) {}

  /**
   * Creates the job.
   *
   * @param spark the session
   * @param config the settings (input, columns, model, {@code subsample} and {@code evaluate.*})
   */
  public EvaluateJob(SparkSession spark, JobConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /**
   * Runs every seed and writes the report.
   *
   * @return the report and where it is
   */
  public Result run() {
    long started = System.nanoTime();
    Path reportDir = Paths.get(config.require(Settings.EVALUATE_REPORT_DIR));
    InputTable input =
        new TableReader(spark)
            .read(config.require(Settings.INPUT_PATH), config.get(Settings.INPUT_FORMAT));
    ColumnRoles roles = numericFeatures(ColumnRoles.resolve(input.rows().schema(), config), input);
    Dataset<Row> rows = input.rows().withColumn(ROW_ID, monotonically_increasing_id()).persist();
    GroupIndex index = GroupIndex.fit(rows, roles.label(), roles.demographics());
    String positive = positiveLabel(rows, roles);
    LOG.info(
        "evaluate: {} rows, {} groups, positive label {}={}, {} seeds of {}",
        rows.count(),
        index.size(),
        roles.label(),
        positive,
        config.get(Settings.EVALUATE_SEEDS),
        config.get(Settings.EVALUATE_VARIANTS));

    Protocol protocol = new Protocol(roles, index, positive);
    List<SeedOutcome> outcomes = new ArrayList<>();
    long first = config.get(Settings.SEED);
    for (int i = 0; i < config.get(Settings.EVALUATE_SEEDS); i++) {
      outcomes.add(runSeed(rows, protocol, first + i, i == 0));
    }
    rows.unpersist();

    EvaluationReport report = EvaluationReport.build(config, protocol.describe(), outcomes);
    new ReportWriter(reportDir).write(report);
    LOG.info(
        "evaluate: {} seeds in {} s, report in {}",
        outcomes.size(),
        (System.nanoTime() - started) / 1e9,
        reportDir);
    return new Result(reportDir, report);
  }

  /** The fixed parts of every seed's run. */
  private record Protocol(ColumnRoles roles, GroupIndex index, String positive) {
    Map<String, Object> describe() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("label", roles.label());
      fields.put("positive_label", positive);
      fields.put("demographics", roles.demographics());
      fields.put("features", roles.features());
      return fields;
    }
  }

  /**
   * One seed's results.
   *
   * @param seed the seed
   * @param variants each variant's outcome, in run order
   * @param rows row counts of the splits
   * @param smoteNotes groups SMOTE handled specially
   * @param densities real-versus-synthetic samples (first seed only, else empty)
   * @param fidelity MCRAGE's synthetic rows against real rows, by group description then metric
   *     (see {@link #FIDELITY_METRICS}); empty without the {@code mcrage} variant
   */
  public record SeedOutcome(
      long seed,
      Map<String, VariantOutcome> variants,
      Map<String, Long> rows,
      List<String> smoteNotes,
      List<DensitySample> densities,
      Map<String, Map<String, Double>> fidelity) {

    /** An outcome without fidelity figures. */
    public SeedOutcome(
        long seed,
        Map<String, VariantOutcome> variants,
        Map<String, Long> rows,
        List<String> smoteNotes,
        List<DensitySample> densities) {
      this(seed, variants, rows, smoteNotes, densities, Map.of());
    }
  }

  /**
   * The fidelity and privacy figures recorded per group and seed for MCRAGE's synthetic rows:
   * distribution statistics against the rows the generator learned from, the two-sample AUROC and
   * held-out DCR against real rows it never saw (the test split and the training rows the subsample
   * dropped).
   */
  public static final List<String> FIDELITY_METRICS =
      List.of(
          "synthetic_rows",
          "mean_abs_mean_difference_sd",
          "sd_ratio",
          "max_correlation_difference",
          "two_sample_auroc",
          "exact_copy_rate",
          "median_dcr_synthetic",
          "median_dcr_held_out");

  private SeedOutcome runSeed(
      Dataset<Row> rows, Protocol protocol, long seed, boolean keepDensities) {
    StratifiedSplit testSplit =
        StratifiedSplit.of(
            rows, protocol.index().phiColumn(), config.get(Settings.EVALUATE_TEST_FRACTION), seed);
    Dataset<Row> train = testSplit.rest();
    Dataset<Row> imbalanced = subsample(train, seed);
    StratifiedSplit validationSplit =
        StratifiedSplit.of(
            imbalanced,
            protocol.index().phiColumn(),
            config.get(Settings.EVALUATE_VALIDATION_FRACTION),
            seed + 7919);
    Dataset<Row> fit = validationSplit.rest().drop(ROW_ID);
    Dataset<Row> balanced =
        train.join(validationSplit.held().select(ROW_ID), ROW_ID, "left_anti").drop(ROW_ID);
    Dataset<Row> dropped = train.join(imbalanced.select(ROW_ID), ROW_ID, "left_anti").drop(ROW_ID);
    Dataset<Row> test = testSplit.held().drop(ROW_ID);
    Dataset<Row> validation = validationSplit.held().drop(ROW_ID);

    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("test", test.count());
    counts.put("train_full", train.count());
    counts.put("train_imbalanced", fit.count());
    counts.put("validation", validation.count());

    ForestModel model =
        new ForestModel(config, protocol.roles(), protocol.index(), protocol.positive(), seed);
    Map<String, VariantOutcome> variants = new LinkedHashMap<>();
    List<String> smoteNotes = new ArrayList<>();
    List<DensitySample> densities = new ArrayList<>();
    Map<String, Map<String, Double>> fidelity = new LinkedHashMap<>();
    for (String variant : config.get(Settings.EVALUATE_VARIANTS)) {
      long started = System.nanoTime();
      Variant built = build(variant, fit, balanced, dropped, protocol, seed);
      smoteNotes.addAll(built.notes());
      if (keepDensities && built.rebalanced() != null) {
        densities.addAll(densities(built.rebalanced(), balanced, protocol));
      }
      if (built.rebalanced() != null && config.get(Settings.REPORT_FIDELITY)) {
        Dataset<Row> unseen =
            train
                .join(imbalanced.select(ROW_ID), ROW_ID, "left_anti")
                .unionByName(testSplit.held())
                .drop(ROW_ID);
        fidelity.putAll(fidelity(built.rebalanced(), unseen, protocol, seed));
      }
      VariantOutcome outcome = evaluate(model, built, test, validation, started);
      built.release();
      variants.put(variant, outcome);
      LOG.info(
          "evaluate: seed {} {}: {} training rows ({} added), accuracy {}, F1 {}, AUROC {} in {} s",
          seed,
          variant,
          outcome.trainingRows(),
          outcome.addedRows(),
          format(outcome.overall().get(BinaryMetrics.ACCURACY)),
          format(outcome.overall().get(BinaryMetrics.F1)),
          format(outcome.overall().get(BinaryMetrics.AUROC)),
          String.format("%.1f", outcome.seconds()));
    }
    testSplit.release();
    validationSplit.release();
    return new SeedOutcome(seed, variants, counts, smoteNotes, densities, fidelity);
  }

  private Dataset<Row> subsample(Dataset<Row> train, long seed) {
    String spec = subsampleSpec(config);
    return spec.isEmpty() ? train : Subsample.parse(spec).apply(train, seed);
  }

  /** A variant's training rows and what must be freed after. */
  private record Variant(
      Dataset<Row> rows,
      long added,
      List<String> notes,
      Rebalancer.Rebalanced rebalanced,
      Dataset<Row> cached) {
    void release() {
      if (cached != null) {
        cached.unpersist();
      }
      if (rebalanced != null) {
        rebalanced.synthetic().unpersist();
      }
    }
  }

  private Variant build(
      String variant,
      Dataset<Row> fit,
      Dataset<Row> balanced,
      Dataset<Row> dropped,
      Protocol protocol,
      long seed) {
    String runId = "evaluate-" + seed + "-" + variant;
    switch (variant) {
      case "imbalanced":
        return new Variant(fit, 0, List.of(), null, null);
      case "balanced":
        return new Variant(balanced, 0, List.of(), null, null);
      case "oracle_mean":
        return oracle(fit, dropped, protocol, false);
      case "oracle_shape":
        return oracle(fit, dropped, protocol, true);
      case "random_oversampling":
        return oversampled(
            new RandomOversampler(spark, seed, runId)
                .oversample(fit, protocol.roles(), protocol.index(), FillPolicy.of(config)));
      case "smote":
        return oversampled(
            new Smote(
                    config.get(Settings.EVALUATE_SMOTE_K),
                    seed,
                    runId,
                    config.get(Settings.SMOTE_EXACT_MAX_ROWS))
                .oversample(fit, protocol.roles(), protocol.index(), FillPolicy.of(config)));
      case "mcrage":
        Rebalancer.Rebalanced rebalanced =
            new Rebalancer(
                    spark, config.with(Map.of(Settings.SEED.key(), Long.toString(seed))), runId)
                .rebalance(fit);
        return new Variant(
            rebalanced.all(), rebalanced.groups().totalDeficit(), List.of(), rebalanced, null);
      default:
        throw new McrageException(
            "Unknown variant '" + variant + "' in " + Settings.EVALUATE_VARIANTS.key(),
            "Use " + Settings.EVALUATE_VARIANTS.expectation());
    }
  }

  /**
   * The fit rows plus the rows the subsample dropped, moved per group to the fit rows' mean (and
   * covariance): a generator with the population's exact shape that learns those moments from the
   * fit rows (see {@link MomentMatching}).
   */
  private static Variant oracle(
      Dataset<Row> fit, Dataset<Row> dropped, Protocol protocol, boolean covariance) {
    String phi = "_mcrage_oracle_phi";
    Dataset<Row> moved =
        MomentMatching.move(
                dropped.withColumn(phi, protocol.index().phiColumn()),
                fit.withColumn(phi, protocol.index().phiColumn()),
                phi,
                protocol.roles().features(),
                covariance)
            .drop(phi)
            .persist();
    long added = moved.count();
    return new Variant(fit.unionByName(moved), added, List.of(), null, moved);
  }

  private static Variant oversampled(OversampledRows oversampled) {
    Dataset<Row> synthetic = oversampled.synthetic().persist();
    long added = synthetic.count();
    return new Variant(
        oversampled.real().unionByName(synthetic), added, oversampled.notes(), null, synthetic);
  }

  private VariantOutcome evaluate(
      ForestModel model,
      Variant variant,
      Dataset<Row> test,
      Dataset<Row> validation,
      long started) {
    ForestModel.Fitted fitted = model.fit(variant.rows());
    RandomForestClassificationModel forest = fitted.model();
    Predictions predictions = model.predict(forest, test);
    Map<String, Map<String, Double>> byGroup = predictions.byGroup();
    Map<String, Double> fairness =
        Predictions.fairness(byGroup, predictions.intersectionalGroups());
    Map<String, Double> validationMetrics =
        validation.isEmpty() ? Map.of() : model.predict(forest, validation).overall();
    return new VariantOutcome(
        predictions.overall(),
        byGroup,
        fairness,
        validationMetrics,
        fitted.rows(),
        variant.added(),
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * Measures MCRAGE's synthetic rows (numeric features) against the rows the generator learned from
   * and real rows it never saw.
   */
  private Map<String, Map<String, Double>> fidelity(
      Rebalancer.Rebalanced rebalanced, Dataset<Row> unseen, Protocol protocol, long seed) {
    List<String> numeric =
        rebalanced.encoder().numericFeatures().stream().map(FeatureEncoder.Feature::name).toList();
    if (numeric.isEmpty() || rebalanced.groups().totalDeficit() == 0) {
      return Map.of();
    }
    long started = System.nanoTime();
    Dataset<Row> held = unseen.withColumn(LineageColumns.GROUP, protocol.index().phiColumn());
    FidelityRun run =
        FidelityRun.measure(spark, rebalanced.real(), held, rebalanced.synthetic(), numeric, seed);
    Map<String, Map<String, Double>> byGroup = new LinkedHashMap<>();
    for (FidelityReport.GroupFidelity group : run.fidelity().groups()) {
      PrivacyReport.GroupPrivacy privacy =
          run.privacy().groups().stream()
              .filter(p -> p.group() == group.group())
              .findFirst()
              .orElse(null);
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("synthetic_rows", (double) group.syntheticRows());
      metrics.put("mean_abs_mean_difference_sd", group.meanAbsMeanDifference());
      metrics.put("sd_ratio", group.meanSdRatio());
      metrics.put("max_correlation_difference", group.maxCorrelationDifference());
      metrics.put("two_sample_auroc", group.twoSampleAuroc());
      metrics.put("exact_copy_rate", privacy == null ? Double.NaN : privacy.exactCopyRate());
      metrics.put(
          "median_dcr_synthetic", privacy == null ? Double.NaN : privacy.medianSyntheticDcr());
      metrics.put("median_dcr_held_out", privacy == null ? Double.NaN : privacy.medianHeldOutDcr());
      byGroup.put(protocol.index().describe(group.group()), metrics);
    }
    LOG.info(
        "evaluate: seed {} mcrage fidelity: {} groups against {} unseen real rows, two-sample"
            + " AUROC {} in {} s",
        seed,
        byGroup.size(),
        run.privacy().groups().stream().mapToInt(p -> p.heldOutDcr().length).sum(),
        format(run.fidelity().overall().twoSampleAuroc()),
        String.format("%.1f", (System.nanoTime() - started) / 1e9));
    return byGroup;
  }

  private List<DensitySample> densities(
      Rebalancer.Rebalanced rebalanced, Dataset<Row> balanced, Protocol protocol) {
    List<DensitySample> samples = new ArrayList<>();
    GroupTable groups = rebalanced.groups();
    List<String> features = protocol.roles().features();
    Dataset<Row> real = balanced.withColumn(LineageColumns.GROUP, groups.index().phiColumn());
    for (GroupTable.Group group : groups.groupsToFill()) {
      double[][] realValues =
          values(real.where(col(LineageColumns.GROUP).equalTo(group.phi())), features);
      double[][] syntheticValues =
          values(
              rebalanced.synthetic().where(col(LineageColumns.GROUP).equalTo(group.phi())),
              features);
      samples.add(
          new DensitySample(
              groups.index().describe(group.phi()), features, realValues, syntheticValues));
    }
    return samples;
  }

  private static double[][] values(Dataset<Row> rows, List<String> features) {
    List<Row> collected =
        rows.select(
                features.stream()
                    .map(f -> col(f).cast("double"))
                    .toArray(org.apache.spark.sql.Column[]::new))
            .limit(DENSITY_ROWS)
            .collectAsList();
    double[][] values = new double[features.size()][collected.size()];
    for (int r = 0; r < collected.size(); r++) {
      for (int f = 0; f < features.size(); f++) {
        Object value = collected.get(r).get(f);
        values[f][r] = value == null ? Double.NaN : (Double) value;
      }
    }
    return values;
  }

  /**
   * Keeps the numeric features for the downstream forest and SMOTE; other feature columns are
   * carried. The rebalancer still generates every feature kind; the evaluation's forest does not
   * yet index categorical features, which costs it that information on tables that have them.
   */
  private static ColumnRoles numericFeatures(ColumnRoles roles, InputTable input) {
    List<String> numeric = new java.util.ArrayList<>();
    List<String> carried = new java.util.ArrayList<>(roles.carried());
    for (String feature : roles.features()) {
      if (input.rows().schema().apply(feature).dataType()
          instanceof org.apache.spark.sql.types.NumericType) {
        numeric.add(feature);
      } else {
        carried.add(feature);
      }
    }
    return new ColumnRoles(roles.label(), roles.demographics(), numeric, carried);
  }

  private String positiveLabel(Dataset<Row> rows, ColumnRoles roles) {
    String configured = config.get(Settings.EVALUATE_POSITIVE_LABEL);
    List<Row> counts =
        rows.where(col(roles.label()).isNotNull())
            .groupBy(col(roles.label()).cast("string").as("value"))
            .count()
            .orderBy(col("count"), col("value"))
            .collectAsList();
    if (counts.size() != 2) {
      throw new McrageException(
          "Label column '"
              + roles.label()
              + "' has "
              + counts.size()
              + " values; the evaluation"
              + " needs a binary label",
          "Evaluate with a two-class label column");
    }
    if (configured.isEmpty()) {
      return counts.get(0).getString(0);
    }
    if (counts.stream().noneMatch(row -> configured.equals(row.getString(0)))) {
      throw new McrageException(
          "Setting '"
              + Settings.EVALUATE_POSITIVE_LABEL.key()
              + "' is '"
              + configured
              + "', not a value of '"
              + roles.label()
              + "'",
          "Use " + counts.get(0).getString(0) + " or " + counts.get(1).getString(0));
    }
    return configured;
  }

  /**
   * Returns the evaluation's subsample: {@code evaluate.subsample}, else {@code subsample}.
   *
   * @param config the settings
   * @return {@code COLUMN=VALUE:FRACTION}, or empty for none
   */
  static String subsampleSpec(JobConfig config) {
    String own = config.get(Settings.EVALUATE_SUBSAMPLE);
    return own.isEmpty() ? config.get(Settings.SUBSAMPLE) : own;
  }

  private static String format(Double value) {
    return value == null ? "n/a" : String.format("%.3f", value);
  }
}
