package org.mcrage.sampling;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.mcrage.config.McrageException;
import org.mcrage.diffusion.CddpmSampler;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.fidelity.GroupRows;
import org.mcrage.groups.GroupIndex;
import org.mcrage.io.LineageColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates every group's deficit in the executors and guarantees that no synthetic row copies a
 * real patient, nor (with a positive minimum distance) comes closer to one than that distance.
 *
 * <p>The deficits are split into tasks of at most {@code rowsPerTask} rows, one Spark partition
 * each; the model travels as a broadcast byte array and is loaded once per executor. A generated
 * row whose group and features equal those of a real row is rejected and replaced in a further
 * round with fresh seeds; after {@link #MAX_ROUNDS} rounds the job stops rather than write copies.
 *
 * <p>The distance guard: each group being filled ships its real rows, standardised by the encoder,
 * to the executors as a broadcast (up to {@link #MAX_GUARDED_ROWS} rows per group), and a generated
 * row within {@code minDistance} (Euclidean, standardised units) of one of them is dropped and
 * replaced like an exact copy. The exact-copy anti-join always runs as well, so a group too large
 * to broadcast still never receives an exact copy.
 */
public final class DistributedSampler {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedSampler.class);

  /** Rounds of generation before rejected rows count as a failure. */
  public static final int MAX_ROUNDS = 5;

  /**
   * Real rows of one group broadcast for the distance guard at most; a larger group is checked for
   * exact copies only (a known gap: near-copies in such a group are not replaced).
   */
  public static final int MAX_GUARDED_ROWS = 200_000;

  private final SparkSession spark;
  private final int rowsPerTask;
  private final String device;
  private final double minDistance;
  private final CddpmSampler.Options sampling;

  /**
   * The synthetic rows of a run.
   *
   * @param rows the rows, persisted; call {@code unpersist} when written
   * @param generated rows generated over all rounds
   * @param copiesRejected generated rows rejected as exact or near copies of real rows
   * @param tasks sampling tasks run
   * @param nearCopiesReplaced of those, rows the distance guard dropped (within the minimum
   *     distance of a real row of their group)
   */
  public record Result(
      Dataset<Row> rows, long generated, long copiesRejected, int tasks, long nearCopiesReplaced) {

    /** Creates a result without a distance guard. */
    public Result(Dataset<Row> rows, long generated, long copiesRejected, int tasks) {
      this(rows, generated, copiesRejected, tasks, 0L);
    }
  }

  /**
   * Creates a sampler.
   *
   * @param spark the session
   * @param rowsPerTask the most rows one task generates
   * @param device the {@code device} setting the executors sample on: cpu, gpu or auto
   * @param minDistance synthetic rows closer than this (standardised units) to a real row of their
   *     group are replaced; 0 rejects exact copies only
   * @param sampling the reverse steps each row takes
   */
  public DistributedSampler(
      SparkSession spark,
      int rowsPerTask,
      String device,
      double minDistance,
      CddpmSampler.Options sampling) {
    this.spark = spark;
    this.rowsPerTask = rowsPerTask;
    this.device = device;
    this.minDistance = minDistance;
    this.sampling = sampling;
  }

  /**
   * Generates the synthetic rows.
   *
   * @param modelBytes the serialised trained model
   * @param encoder the fitted feature encoder
   * @param index the group index
   * @param realRows the real rows with the lineage columns: the output schema, and what synthetic
   *     rows are checked against
   * @param deficits rows to generate, by phi
   * @param seed the run's seed
   * @param runId the run id
   * @return the rows and their counts
   */
  public Result sample(
      byte[] modelBytes,
      FeatureEncoder encoder,
      GroupIndex index,
      Dataset<Row> realRows,
      long[] deficits,
      long seed,
      String runId) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> model = context.broadcast(modelBytes);
    StructType schema = nullable(realRows.schema());
    SyntheticRowFunction function =
        new SyntheticRowFunction(
            model, digest(modelBytes), encoder, index, schema, runId, device, sampling);
    Dataset<Row> realKeys = realKeys(realRows, encoder);
    LongAccumulator nearCopies = spark.sparkContext().longAccumulator("mcrage.near-copies");
    NearCopyFilter guard =
        minDistance > 0
            ? new NearCopyFilter(
                context.broadcast(guardedRows(realRows, encoder, deficits)),
                guarded(encoder),
                guarded(encoder).stream().mapToInt(f -> schema.fieldIndex(f.name())).toArray(),
                schema.fieldIndex(LineageColumns.GROUP),
                minDistance,
                nearCopies)
            : null;

    warnIfFewTasks(deficits, context.defaultParallelism());
    long[] needed = deficits.clone();
    List<Dataset<Row>> accepted = new ArrayList<>();
    long generated = 0;
    int taskCount = 0;
    for (int round = 0; round < MAX_ROUNDS && sum(needed) > 0; round++) {
      List<SamplingTask> tasks = SamplingTask.plan(needed, rowsPerTask, seed, round);
      Dataset<Row> generatedRows = generate(context, tasks, function, schema);
      if (guard != null) {
        generatedRows = generatedRows.filter(guard);
      }
      Dataset<Row> fresh =
          notCopies(generatedRows, realKeys, encoder).persist(StorageLevel.MEMORY_AND_DISK());
      long[] kept = countByGroup(fresh, needed.length);
      for (int group = 0; group < needed.length; group++) {
        generated += needed[group];
        needed[group] -= kept[group];
      }
      taskCount += tasks.size();
      accepted.add(fresh);
      logProgress(round, tasks.size(), deficits, needed);
    }

    if (sum(needed) > 0) {
      throw new McrageException(
          "After "
              + MAX_ROUNDS
              + " rounds, "
              + sum(needed)
              + " generated rows still copied real"
              + " patients exactly",
          "The features may be too coarse (few distinct values) to generate new patients; add"
              + " continuous features or lower the fill target");
    }

    Dataset<Row> rows = accepted.stream().reduce(Dataset::union).orElseThrow();
    long rejected = generated - sum(deficits);
    LOG.info(
        "sample: {} rows in {} tasks, {} rejected as copies of real rows ({} within {} of one)",
        sum(deficits),
        taskCount,
        rejected,
        nearCopies.value(),
        minDistance);
    return new Result(rows, generated, rejected, taskCount, nearCopies.value());
  }

  /**
   * Warns when the first round has fewer than two tasks per executor core: a task runs on one core,
   * so some cores would idle while the largest tasks finish. The task size is left to the setting,
   * not fitted to the cluster, so that the same seed gives the same rows on any cluster.
   */
  private void warnIfFewTasks(long[] deficits, int cores) {
    int tasks = SamplingTask.plan(deficits, rowsPerTask, 0L, 0).size();
    long rows = sum(deficits);
    if (tasks < 2 * cores && rows > rowsPerTask) {
      LOG.warn(
          "sample: sampling.rows-per-task={} makes {} tasks for {} executor cores; set it to about"
              + " {} for two tasks per core",
          rowsPerTask,
          tasks,
          cores,
          Math.max(1, rows / (2L * cores)));
    }
  }

  private static Map<Integer, RadiusIndex> guardedRows(
      Dataset<Row> realRows, FeatureEncoder encoder, long[] deficits) {
    List<Integer> filled = new ArrayList<>();
    for (int group = 0; group < deficits.length; group++) {
      if (deficits[group] > 0) {
        filled.add(group);
      }
    }
    List<FeatureEncoder.Feature> guarded = guarded(encoder);
    List<String> names = guarded.stream().map(FeatureEncoder.Feature::name).toList();
    Dataset<Row> rows =
        realRows.where(col(LineageColumns.GROUP).isin(filled.toArray()).and(encoder.complete()));
    Map<Integer, RadiusIndex> result = new HashMap<>();
    for (Map.Entry<Integer, double[][]> entry :
        GroupRows.collect(rows, names, MAX_GUARDED_ROWS + 1, 0L).entrySet()) {
      if (entry.getValue().length > MAX_GUARDED_ROWS) {
        LOG.warn(
            "group {} has over {} real rows: checked for exact copies only",
            entry.getKey(),
            MAX_GUARDED_ROWS);
        continue;
      }
      result.put(entry.getKey(), RadiusIndex.of(standardised(entry.getValue(), guarded)));
    }
    return result;
  }

  /**
   * Returns the features the distance guard measures: the numeric ones. Categorical features are
   * left out (a row equal to a real one in every numeric feature is a near copy whatever its
   * categories), and the exact-copy anti-join still compares every feature.
   */
  private static List<FeatureEncoder.Feature> guarded(FeatureEncoder encoder) {
    return encoder.numericFeatures();
  }

  private static double[][] standardised(double[][] rows, List<FeatureEncoder.Feature> features) {
    double[][] result = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      result[i] = new double[rows[i].length];
      for (int k = 0; k < rows[i].length; k++) {
        result[i][k] = NearCopyFilter.standardise(features.get(k), rows[i][k]);
      }
    }
    return result;
  }

  /** Synthetic rows leave carried columns null and may hold nulls where real rows have none. */
  private static StructType nullable(StructType schema) {
    StructType nullable = new StructType();
    for (StructField field : schema.fields()) {
      nullable = nullable.add(field.name(), field.dataType(), true, field.metadata());
    }
    return nullable;
  }

  private Dataset<Row> generate(
      JavaSparkContext context,
      List<SamplingTask> tasks,
      SyntheticRowFunction function,
      StructType schema) {
    List<Row> taskRows = tasks.stream().map(SamplingTask::toRow).toList();
    JavaRDD<Row> distributed = context.parallelize(taskRows, Math.max(1, tasks.size()));
    return spark
        .createDataFrame(distributed, SamplingTask.SCHEMA)
        .mapPartitions(function, Encoders.row(schema));
  }

  private static Dataset<Row> realKeys(Dataset<Row> realRows, FeatureEncoder encoder) {
    List<Column> keys = new ArrayList<>();
    keys.add(col(LineageColumns.GROUP));
    encoder.features().forEach(feature -> keys.add(col(feature.name())));
    return realRows.select(keys.toArray(new Column[0])).distinct();
  }

  private static Dataset<Row> notCopies(
      Dataset<Row> synthetic, Dataset<Row> realKeys, FeatureEncoder encoder) {
    Dataset<Row> s = synthetic.alias("s");
    Dataset<Row> r = realKeys.alias("r");
    Column same = col("s." + LineageColumns.GROUP).equalTo(col("r." + LineageColumns.GROUP));
    for (FeatureEncoder.Feature feature : encoder.features()) {
      same =
          same.and(
              col("s." + quoted(feature.name())).eqNullSafe(col("r." + quoted(feature.name()))));
    }
    return s.join(r, same, "left_anti");
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static long[] countByGroup(Dataset<Row> rows, int groups) {
    long[] counts = new long[groups];
    for (Row row : rows.groupBy(LineageColumns.GROUP).count().collectAsList()) {
      counts[row.getInt(0)] = row.getLong(1);
    }
    return counts;
  }

  /** One INFO line per round: rows done of the deficit, in total and per group (phi). */
  private static void logProgress(int round, int tasks, long[] deficits, long[] needed) {
    StringBuilder perGroup = new StringBuilder();
    for (int group = 0; group < deficits.length; group++) {
      if (deficits[group] > 0) {
        perGroup.append(perGroup.length() == 0 ? "" : ", ");
        perGroup.append(group).append(": ").append(deficits[group] - needed[group]);
        perGroup.append('/').append(deficits[group]);
      }
    }
    LOG.info(
        "sample: round {} ({} tasks): {}/{} rows done; by group (phi: done/deficit) {}",
        round + 1,
        tasks,
        sum(deficits) - sum(needed),
        sum(deficits),
        perGroup);
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long value : values) {
      total += value;
    }
    return total;
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      return Integer.toHexString(new String(bytes, StandardCharsets.ISO_8859_1).hashCode());
    }
  }
}
