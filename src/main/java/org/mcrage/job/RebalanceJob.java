package org.mcrage.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.mcrage.config.JobConfig;
import org.mcrage.config.McrageException;
import org.mcrage.config.Redaction;
import org.mcrage.config.Settings;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.fidelity.FidelityOptions;
import org.mcrage.fidelity.FidelityRun;
import org.mcrage.fidelity.TwoSampleTest;
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.InputTable;
import org.mcrage.io.RebalancedTableWriter;
import org.mcrage.io.RunStore;
import org.mcrage.io.TableReader;
import org.mcrage.sampling.DistributedSampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalancing job: reads a table, indexes its intersectional groups, trains the conditional
 * diffusion model, generates every group's deficit and writes real and synthetic rows to a Delta
 * table.
 *
 * <p>Each stage logs one INFO line with its counts and elapsed time; no patient value is logged.
 * The input is only read. The output is written in one Delta commit, with the run's manifest and
 * model under {@code _mcrage/runs/<run-id>/} beside it.
 */
public final class RebalanceJob {
  private static final Logger LOG = LoggerFactory.getLogger(RebalanceJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final JobConfig config;
  private final String runId;
  private final long seed;

  /**
   * What a run produced.
   *
   * @param runId the run id
   * @param output the output table path
   * @param tableVersion the Delta version the run committed
   * @param groups the group table of the input
   * @param realRows real rows written
   * @param syntheticRows synthetic rows written
   * @param manifest the recorded manifest
   */
  public record Result(
      String runId,
      String output,
      long tableVersion,
      GroupTable groups,
      long realRows,
      long syntheticRows,
      Map<String, Object> manifest) {}

  /**
   * Creates the job.
   *
   * @param spark the session to run in
   * @param config the run's settings
   */
  public RebalanceJob(SparkSession spark, JobConfig config) {
    this.spark = spark;
    this.config = config;
    this.runId =
        config.get(Settings.RUN_ID).isEmpty() ? defaultRunId() : config.get(Settings.RUN_ID);
    this.seed = config.get(Settings.SEED);
  }

  /**
   * Runs every stage.
   *
   * @return what the run wrote
   */
  public Result run() {
    Stage total = new Stage();
    String output = config.require(Settings.OUTPUT_PATH);
    InputTable input = read();
    requireDistinctPaths(input.location(), output);

    Dataset<Row> rows = subsample(input.rows()).persist(StorageLevel.MEMORY_AND_DISK());
    RunStore store = new RunStore(spark.sparkContext().hadoopConfiguration(), output, runId);
    Rebalancer.Rebalanced rebalanced =
        new Rebalancer(spark, config, runId, new StoredCheckpoint(store, config)).rebalance(rows);
    saveModel(store, rebalanced.training().modelBytes());

    long version = write(rebalanced.all(), output, rebalanced.groups(), store);
    Map<String, Object> fidelity = fidelity(rebalanced);
    rebalanced.synthetic().unpersist();
    rows.unpersist();
    GroupTable groups = rebalanced.groups();
    Map<String, Object> manifest = manifest(input, rebalanced, output, version, total);
    manifest.put("fidelity", fidelity);
    record(store, manifest);
    dropCheckpoint(store);
    LOG.info(
        "rebalance: run {} wrote {} real and {} synthetic rows to {} (version {}) in {} s",
        runId,
        groups.realRows(),
        groups.totalDeficit(),
        Redaction.location(output),
        version,
        total.millis() / 1000.0);
    return new Result(
        runId, output, version, groups, groups.realRows(), groups.totalDeficit(), manifest);
  }

  private InputTable read() {
    Stage stage = new Stage();
    InputTable input =
        new TableReader(spark)
            .read(config.require(Settings.INPUT_PATH), config.get(Settings.INPUT_FORMAT));
    LOG.info(
        "read: {} columns from {} ({}) in {} ms",
        input.rows().columns().length,
        Redaction.location(input.location()),
        input.format(),
        stage.millis());
    return input;
  }

  private Dataset<Row> subsample(Dataset<Row> rows) {
    String spec = config.get(Settings.SUBSAMPLE);
    if (spec.isEmpty()) {
      return rows;
    }
    Subsample subsample = Subsample.parse(spec);
    LOG.info(
        "subsample: keeping a seeded {} of the rows where {} = the given value",
        subsample.fraction(),
        subsample.column());
    return subsample.apply(rows, seed);
  }

  private Map<String, Object> fidelity(Rebalancer.Rebalanced rebalanced) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("enabled", config.get(Settings.REPORT_FIDELITY));
    record.put("near_copies_replaced", rebalanced.sampling().nearCopiesReplaced());
    record.put("privacy_min_distance", config.get(Settings.PRIVACY_MIN_DISTANCE));
    List<String> numeric =
        rebalanced.encoder().numericFeatures().stream().map(FeatureEncoder.Feature::name).toList();
    record.put("features_measured", numeric);
    if (!config.get(Settings.REPORT_FIDELITY)
        || rebalanced.groups().totalDeficit() == 0
        || numeric.isEmpty()) {
      return record;
    }
    Stage stage = new Stage();
    FidelityRun run =
        FidelityRun.measure(
            spark,
            rebalanced.real(),
            null,
            rebalanced.synthetic(),
            numeric,
            new FidelityOptions(5_000, new TwoSampleTest(10, 4, 2, seed), seed));
    record.putAll(run.toMap());
    LOG.info(
        "fidelity: {} synthetic rows vs the real rows of {} groups, two-sample AUROC {}, in {} ms",
        rebalanced.groups().totalDeficit(),
        run.fidelity().groups().size(),
        String.format(java.util.Locale.ROOT, "%.3f", run.fidelity().overall().twoSampleAuroc()),
        stage.millis());
    return record;
  }

  private void saveModel(RunStore store, byte[] modelBytes) {
    try {
      store.writeModel(modelBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the model to " + store.modelPath(), e);
    }
  }

  private long write(Dataset<Row> rows, String output, GroupTable groups, RunStore store) {
    Stage stage = new Stage();
    LOG.info(
        "write: committing {} real and {} synthetic rows to {}; by group (phi: real+synthetic) {}",
        groups.realRows(),
        groups.totalDeficit(),
        output,
        rowsByGroup(groups));
    long version =
        new RebalancedTableWriter(spark)
            .write(
                TestHooks.pausingWrite(rows),
                output,
                runId,
                config.get(Settings.OUTPUT_MODE),
                commitMetadata(store));
    LOG.info(
        "write: committed version {} of {} in {} ms",
        version,
        Redaction.location(output),
        stage.millis());
    return version;
  }

  private static String rowsByGroup(GroupTable groups) {
    Map<Integer, Long> synthetic = new LinkedHashMap<>();
    groups.groupsToFill().forEach(group -> synthetic.put(group.phi(), group.deficit()));
    StringBuilder text = new StringBuilder();
    for (GroupTable.Group group : groups.groups()) {
      text.append(text.length() == 0 ? "" : ", ").append(group.phi()).append(": ");
      text.append(group.count()).append('+').append(synthetic.getOrDefault(group.phi(), 0L));
    }
    return text.toString();
  }

  private String commitMetadata(RunStore store) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("mcrage_run_id", runId);
    metadata.put("seed", seed);
    metadata.put("manifest", store.manifestPath().toString());
    return json(metadata);
  }

  private Map<String, Object> manifest(
      InputTable input,
      Rebalancer.Rebalanced rebalanced,
      String output,
      long version,
      Stage total) {
    ColumnRoles roles = rebalanced.roles();
    GroupTable groups = rebalanced.groups();
    Rebalancer.Training training = rebalanced.training();
    DistributedSampler.Result synthetic = rebalanced.sampling();
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("run_id", runId);
    manifest.put("created_at", Instant.now().toString());
    manifest.put("mcrage_version", codeVersion());
    manifest.put("spark_version", spark.version());
    manifest.put("seed", seed);
    manifest.put("settings", Redaction.settings(config.asMap()));
    manifest.put(
        "input",
        Map.of(
            "location",
            Redaction.location(input.location()),
            "format",
            input.format(),
            "version",
            input.version()));
    manifest.put(
        "columns",
        Map.of(
            "label", roles.label(),
            "demographics", roles.demographics(),
            "features", roles.features(),
            "carried", roles.carried()));
    manifest.put("group_levels", levels(groups.index()));
    manifest.put("encoder", encoderRecord(rebalanced.encoder()));
    manifest.put("target", groups.target());
    manifest.put("groups", groups.toRecords());

    Map<String, Object> model = new LinkedHashMap<>();
    model.put("training_rows", training.rows());
    model.put("diameter", training.diameter());
    model.put("steps", training.model().schedule().steps());
    double[] loss = training.model().trainingLoss();
    model.put("final_loss", loss.length == 0 ? null : loss[loss.length - 1]);
    model.put("training_seconds", training.millis() / 1000.0);
    model.put("path", "model.cddpm");
    manifest.put("model", model);

    manifest.put(
        "sampling",
        Map.of(
            "synthetic_rows", groups.totalDeficit(),
            "generated_rows", synthetic.generated(),
            "copies_of_real_rows_rejected", synthetic.copiesRejected(),
            "tasks", synthetic.tasks()));
    manifest.put(
        "output",
        Map.of(
            "location",
            Redaction.location(output),
            "delta_version",
            version,
            "mode",
            config.get(Settings.OUTPUT_MODE)));
    manifest.put("elapsed_seconds", total.millis() / 1000.0);
    return manifest;
  }

  private static Map<String, Object> levels(GroupIndex index) {
    Map<String, Object> levels = new LinkedHashMap<>();
    for (int i = 0; i < index.columns().size(); i++) {
      levels.put(
          index.columns().get(i), index.levels().get(i).stream().map(String::valueOf).toList());
    }
    return levels;
  }

  private static List<Map<String, Object>> encoderRecord(FeatureEncoder encoder) {
    return encoder.features().stream()
        .map(
            feature -> {
              Map<String, Object> record = new LinkedHashMap<>();
              record.put("name", feature.name());
              record.put("type", feature.type().simpleString());
              record.put("mean", feature.mean());
              record.put("scale", feature.scale());
              record.put("min", feature.min());
              record.put("max", feature.max());
              record.put("integral", feature.integral());
              record.put(
                  "transform",
                  feature.quantileEncoded()
                      ? "quantile (" + feature.quantiles().length + " knots)"
                      : "standard");
              return record;
            })
        .toList();
  }

  private void record(RunStore store, Map<String, Object> manifest) {
    try {
      store.writeManifest(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the manifest to " + store.manifestPath(), e);
    }
  }

  private void dropCheckpoint(RunStore store) {
    try {
      store.deleteCheckpoint();
    } catch (IOException e) {
      LOG.warn(
          "Cannot delete the training checkpoint {}: {}", store.checkpointPath(), e.toString());
    }
  }

  private void requireDistinctPaths(String input, String output) {
    String in = qualified(input);
    String out = qualified(output);
    if (in.equals(out) || out.startsWith(in + "/") || in.startsWith(out + "/")) {
      throw new McrageException(
          "output.path '"
              + Redaction.location(output)
              + "' is "
              + (in.equals(out) ? "the input path" : "inside, or holds, the input path '")
              + (in.equals(out) ? "" : Redaction.location(input) + "'"),
          "Set output.path (--output) to a new folder outside the input: the input is only read");
    }
  }

  private String qualified(String location) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .makeQualified(path)
          .toString()
          .replaceAll("/+$", "");
    } catch (IOException | IllegalArgumentException e) {
      return location.replaceAll("/+$", "");
    }
  }

  private static String codeVersion() {
    String version = RebalanceJob.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private static String defaultRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC)
        .format(Instant.now());
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
