package org.mcrage.job;

import static org.apache.spark.sql.functions.lit;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.JobConfig;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;
import org.mcrage.diffusion.CddpmConfig;
import org.mcrage.diffusion.CddpmModel;
import org.mcrage.diffusion.CddpmSampler;
import org.mcrage.diffusion.CddpmTrainer;
import org.mcrage.diffusion.NoiseSchedule;
import org.mcrage.diffusion.TrainingCheckpoint;
import org.mcrage.diffusion.TrainingProgress;
import org.mcrage.encoding.ColumnKind;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.groups.FillPolicy;
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.LineageColumns;
import org.mcrage.sampling.ComputeDevice;
import org.mcrage.sampling.DistributedSampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCRAGE method on a DataFrame, with no I/O: index the intersectional groups, count them, scale
 * the features, train the conditional diffusion model and generate every group's deficit.
 *
 * <p>{@link RebalanceJob} wraps it with reading, writing and the run record; the evaluation runs it
 * on each training split. Each stage logs one INFO line with counts and elapsed time.
 */
public final class Rebalancer {
  private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);

  /** Empirical quantiles kept per numeric feature by the quantile-normal transform. */
  static final int QUANTILE_KNOTS = 1000;

  private final SparkSession spark;
  private final JobConfig config;
  private final String runId;
  private final long seed;
  private final TrainingCheckpoint checkpoint;

  /**
   * The real and synthetic rows of a rebalanced table, and what produced them.
   *
   * @param real the input rows with the lineage columns
   * @param synthetic the generated rows, same schema, persisted; unpersist when done
   * @param roles what each column is
   * @param groups the group table of the input
   * @param encoder the fitted feature encoder
   * @param training the trained model
   * @param sampling the sampling counts
   */
  public record Rebalanced(
      Dataset<Row> real,
      Dataset<Row> synthetic,
      ColumnRoles roles,
      GroupTable groups,
      FeatureEncoder encoder,
      Training training,
      DistributedSampler.Result sampling) {

    /** Returns the real and synthetic rows together: the rebalanced table. */
    public Dataset<Row> all() {
      return real.unionByName(synthetic);
    }
  }

  /**
   * Creates a rebalancer.
   *
   * @param spark the session
   * @param config the settings (columns, groups, model, sampling and seed are used)
   * @param runId the run id stamped on every row
   */
  public Rebalancer(SparkSession spark, JobConfig config, String runId) {
    this(spark, config, runId, TrainingCheckpoint.NONE);
  }

  /**
   * Creates a rebalancer whose training saves to, and resumes from, a checkpoint.
   *
   * @param spark the session
   * @param config the settings (columns, groups, model, sampling and seed are used)
   * @param runId the run id stamped on every row
   * @param checkpoint where training keeps its state between attempts of this run
   */
  public Rebalancer(
      SparkSession spark, JobConfig config, String runId, TrainingCheckpoint checkpoint) {
    this.spark = spark;
    this.config = config;
    this.runId = runId;
    this.seed = config.get(Settings.SEED);
    this.checkpoint = checkpoint;
  }

  /**
   * Rebalances a table.
   *
   * @param rows the input rows (never modified)
   * @return the real and synthetic rows
   */
  public Rebalanced rebalance(Dataset<Row> rows) {
    ColumnRoles candidates = ColumnRoles.resolve(rows.schema(), config);
    GroupTable groups = countGroups(rows, candidates);
    GroupIndex index = groups.index();
    Dataset<Row> real = withLineage(rows, index);

    FeatureEncoder encoder = encode(real, candidates);
    ColumnRoles roles = candidates.withFeatures(featureNames(encoder), rows.schema());
    Training training = train(real, encoder, groups);
    DistributedSampler.Result sampling =
        sample(training.modelBytes(), encoder, index, real, groups);
    return new Rebalanced(real, sampling.rows(), roles, groups, encoder, training, sampling);
  }

  private Dataset<Row> withLineage(Dataset<Row> rows, GroupIndex index) {
    return rows.withColumn(LineageColumns.SYNTHETIC, lit(false))
        .withColumn(LineageColumns.GROUP, index.phiColumn())
        .withColumn(LineageColumns.RUN_ID, lit(runId));
  }

  private GroupTable countGroups(Dataset<Row> rows, ColumnRoles roles) {
    Stage stage = new Stage();
    GroupTable groups =
        GroupTable.fitAndCount(
            rows,
            roles.label(),
            roles.demographics(),
            config.get(Settings.MIN_GROUP_SIZE),
            config.get(Settings.SMALL_GROUP_POLICY),
            config.get(Settings.NULL_POLICY),
            FillPolicy.of(config));
    GroupIndex index = groups.index();
    if (index.levels().get(0).size() < 2) {
      throw new McrageException(
          "Label column '"
              + roles.label()
              + "' (setting 'label') has a single class "
              + index.levels().get(0),
          "Rebalancing needs a label with at least two classes: set 'label' to the diagnosis"
              + " column, or rebalance a table that holds more than one diagnosis");
    }
    requireTwoGroups(groups, index);
    groups
        .emptyGroups()
        .forEach(
            group ->
                LOG.warn(
                    "group {} ({}) has no rows and stays empty",
                    group.phi(),
                    index.describe(group.phi())));
    LOG.info(
        "groups: {} real rows in {} groups over {} ({} levels), majority {}, fill {}, {} rows to"
            + " generate for {} groups, in {} ms",
        groups.realRows(),
        index.size(),
        index.columns(),
        index.levels().stream().map(List::size).toList(),
        groups.target(),
        groups.fill().describe(),
        groups.totalDeficit(),
        groups.groupsToFill().size(),
        stage.millis());
    return groups;
  }

  private static void requireTwoGroups(GroupTable groups, GroupIndex index) {
    List<GroupTable.Group> filled = groups.groups().stream().filter(g -> g.count() > 0).toList();
    if (filled.size() < 2) {
      throw new McrageException(
          "Every row with a value in each of "
              + index.columns()
              + " is in one group, "
              + index.describe(filled.get(0).phi())
              + ": there is nothing to rebalance",
          "Check the 'label' and 'demographics' settings: they must split the rows into at least"
              + " two groups (rows with a missing label or demographic value are left out)");
    }
  }

  private FeatureEncoder encode(Dataset<Row> real, ColumnRoles roles) {

    Stage stage = new Stage();
    FeatureEncoder encoder =
        FeatureEncoder.fit(
            real,
            roles.features(),
            ColumnKind.parse(config.get(Settings.COLUMN_KINDS)),
            LineageColumns.GROUP,
            "quantile".equals(config.get(Settings.ENCODING_TRANSFORM)) ? QUANTILE_KNOTS : 0);
    encoder
        .skipped()
        .forEach(
            (column, reason) ->
                LOG.warn("encode: column '{}' carried through, not generated: {}", column, reason));
    LOG.info(
        "encode: {} features {} in {} dimensions ({} with a missingness indicator), {} columns"
            + " carried through, in {} ms",
        encoder.features().size(),
        encoder.kindCounts(),
        encoder.dimension(),
        encoder.features().stream().filter(FeatureEncoder.Feature::nullable).count(),
        roles.carried().size() + encoder.skipped().size(),
        stage.millis());
    return encoder;
  }

  private static List<String> featureNames(FeatureEncoder encoder) {
    return encoder.features().stream().map(FeatureEncoder.Feature::name).toList();
  }

  /** The trained model and what training measured. */
  /**
   * The trained model and what training measured.
   *
   * @param modelBytes the serialised model, as shipped to the executors and saved
   * @param model the model
   * @param rows rows trained on
   * @param diameter the diameter of the scaled training rows
   * @param millis training time
   */
  public record Training(
      byte[] modelBytes, CddpmModel model, int rows, double diameter, long millis) {}

  private Training train(Dataset<Row> real, FeatureEncoder encoder, GroupTable groups) {
    Stage stage = new Stage();
    TrainingData data = TrainingData.collect(real, encoder, groups, config, seed);
    double diameter = NoiseSchedule.diameter(data.features());
    CddpmConfig model = ModelSettings.cddpm(config, data.features().length);
    LOG.info(
        "train: {} rows ({} without a group or a feature value left out), {} steps, diameter {}",
        data.features().length,
        data.excluded(),
        model.noiseSchedule(diameter).steps(),
        String.format("%.3f", diameter));

    Device device = ComputeDevice.resolve(config.get(Settings.DEVICE));
    LOG.info("train: on {}", device);
    CddpmModel trained;
    try (NDManager manager = NDManager.newBaseManager(device)) {
      trained =
          CddpmTrainer.train(
              manager,
              data.features(),
              data.groups(),
              ModelSettings.conditioning(config, groups.index()),
              model,
              pauseAfterFirstCheckpoint(model.epochs()),
              checkpoint);
    }
    byte[] bytes = trained.toBytes();
    LOG.info(
        "train: {} epochs on {} rows in {} s, model {} KiB",
        model.epochs(),
        data.features().length,
        stage.millis() / 1000.0,
        bytes.length / 1024);
    return new Training(bytes, trained, data.features().length, diameter, stage.millis());
  }

  private TrainingProgress pauseAfterFirstCheckpoint(int epochs) {
    if (!TestHooks.pausesAt("train")) {
      return TrainingProgress.NONE;
    }
    int every = checkpoint.every();
    int pauseEpoch = every > 0 && every < epochs ? every : 1;
    return (epoch, total, loss, elapsed) -> {
      if (epoch == pauseEpoch) {
        TestHooks.pauseAt("train");
      }
    };
  }

  private DistributedSampler.Result sample(
      byte[] modelBytes,
      FeatureEncoder encoder,
      GroupIndex index,
      Dataset<Row> real,
      GroupTable groups) {
    TestHooks.pauseAt("sample");
    Stage stage = new Stage();
    long[] deficits = new long[index.size()];
    groups.groupsToFill().forEach(group -> deficits[group.phi()] = group.deficit());
    DistributedSampler.Result result =
        new DistributedSampler(
                spark,
                config.get(Settings.ROWS_PER_TASK),
                config.get(Settings.DEVICE),
                config.get(Settings.PRIVACY_MIN_DISTANCE),
                samplingOptions(config))
            .sample(modelBytes, encoder, index, real, deficits, seed, runId);
    LOG.info(
        "sample: {} synthetic rows for {} groups in {} tasks, {} copies of real rows replaced,"
            + " in {} ms",
        groups.totalDeficit(),
        groups.groupsToFill().size(),
        result.tasks(),
        result.copiesRejected(),
        stage.millis());
    return result;
  }

  /**
   * Returns the sampler options a job's settings ask for: {@code sampling.steps}, {@code
   * sampling.eta} and {@code sampling.variance}.
   *
   * @param config the job's settings
   * @return the options
   */
  public static CddpmSampler.Options samplingOptions(JobConfig config) {
    return new CddpmSampler.Options(
        config.get(Settings.SAMPLING_STEPS),
        config.get(Settings.SAMPLING_ETA),
        "beta".equals(config.get(Settings.SAMPLING_VARIANCE)));
  }
}
