package org.mcrage.sampling;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
import org.mcrage.config.McrageException;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.groups.GroupIndex;
import org.mcrage.io.LineageColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates every group's deficit in the executors and guarantees that no synthetic row copies a
 * real patient.
 *
 * <p>The deficits are split into tasks of at most {@code rowsPerTask} rows, one Spark partition
 * each; the model travels as a broadcast byte array and is loaded once per executor. A generated
 * row whose group and features equal those of a real row is rejected and replaced in a further
 * round with fresh seeds; after {@link #MAX_ROUNDS} rounds the job stops rather than write copies.
 */
public final class DistributedSampler {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedSampler.class);

  /** Rounds of generation before rejected rows count as a failure. */
  public static final int MAX_ROUNDS = 5;

  private final SparkSession spark;
  private final int rowsPerTask;
  private final String device;

  /**
   * The synthetic rows of a run.
   *
   * @param rows the rows, persisted; call {@code unpersist} when written
   * @param generated rows generated over all rounds
   * @param copiesRejected generated rows rejected as copies of real rows
   * @param tasks sampling tasks run
   */
  public record Result(Dataset<Row> rows, long generated, long copiesRejected, int tasks) {}

  /**
   * Creates a sampler that samples on a GPU when the executors have one ({@code device=auto}).
   *
   * @param spark the session
   * @param rowsPerTask the most rows one task generates
   */
  public DistributedSampler(SparkSession spark, int rowsPerTask) {
    this(spark, rowsPerTask, "auto");
  }

  /**
   * Creates a sampler.
   *
   * @param spark the session
   * @param rowsPerTask the most rows one task generates
   * @param device the {@code device} setting the executors sample on: cpu, gpu or auto
   */
  public DistributedSampler(SparkSession spark, int rowsPerTask, String device) {
    this.spark = spark;
    this.rowsPerTask = rowsPerTask;
    this.device = device;
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
        new SyntheticRowFunction(model, digest(modelBytes), encoder, index, schema, runId, device);
    Dataset<Row> realKeys = realKeys(realRows, encoder);

    long[] needed = deficits.clone();
    List<Dataset<Row>> accepted = new ArrayList<>();
    long generated = 0;
    int taskCount = 0;
    for (int round = 0; round < MAX_ROUNDS && sum(needed) > 0; round++) {
      List<SamplingTask> tasks = SamplingTask.plan(needed, rowsPerTask, seed, round);
      Dataset<Row> fresh =
          notCopies(generate(context, tasks, function, schema), realKeys, encoder)
              .persist(StorageLevel.MEMORY_AND_DISK());
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
        "sample: {} rows in {} tasks, {} rejected as copies of real rows",
        sum(deficits),
        taskCount,
        rejected);
    return new Result(rows, generated, rejected, taskCount);
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
