package org.mcrage.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mcrage.baselines.Smote;
import org.mcrage.baselines.SmoteInterpolator;
import org.mcrage.baselines.SpatialBlocks;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.groups.GroupIndex;
import org.mcrage.job.ColumnRoles;

/**
 * Speed of the SMOTE baseline (k = 5, 9 numeric features of a blood count, 4 groups of 55%, 25%,
 * 15% and 5% of the rows, each filled up to the largest), next to imbalanced-learn's figures.
 *
 * <p>{@code smote.core} times what imbalanced-learn times: the neighbour search and interpolation
 * of every group with a deficit, on rows already in memory, one thread. {@code smote.spark} times
 * the whole {@link Smote#oversample} on a cached table, its synthetic rows written to Spark's no-op
 * sink. Each runs with the default {@code smote.exact-max-rows} and, as {@code .approximate}, with
 * a tenth of the rows as the limit, so that groups are split into blocks; the recall at k of the
 * blocks' neighbours against exact ones is measured on sampled rows. Data generation is not timed.
 */
final class SmoteBenchmarks {
  private static final int K = 5;
  private static final int FEATURES = 9;
  private static final long SEED = 17;
  private static final double[] SHARES = {0.55, 0.25, 0.15, 0.05};
  private static final String[][] GROUP_VALUES = {
    {"no", "M"}, {"no", "F"}, {"yes", "M"}, {"yes", "F"}
  };
  private static final int RECALL_QUERIES = 2_000;

  /** imbalanced-learn 0.10's SMOTE on this workload on a 2-core machine: seconds by rows. */
  private static final Map<Long, Double> IMBLEARN_SECONDS =
      Map.of(100_000L, 0.56, 1_000_000L, 26.6);

  /** Rows at and above which one repetition is timed, with no warm-up. */
  private static final long LARGE = 5_000_000;

  private final int repetitions;
  private final Consumer<Measurement> out;
  private double sink;

  SmoteBenchmarks(int repetitions, Consumer<Measurement> out) {
    this.repetitions = repetitions;
    this.out = out;
  }

  /** Times SMOTE on a generated table of {@code rows} rows: core and Spark, exact and blocked. */
  void run(SparkSession spark, long rows) {
    int defaultLimit =
        Settings.SMOTE_EXACT_MAX_ROWS.parse(Settings.SMOTE_EXACT_MAX_ROWS.defaultValue());
    int blockedLimit = (int) Math.max(1_000, rows / 10);
    coreMeasurements(rows, defaultLimit, blockedLimit);

    Dataset<Row> table = table(spark, rows).cache();
    table.count();
    Measurement whole = spark("smote.spark", table, rows, defaultLimit);
    out.accept(whole);
    Measurement blocked = spark("smote.spark.approximate", table, rows, blockedLimit);
    out.accept(blocked.with("time_over_default", blocked.median() / whole.median()));
    table.unpersist();
  }

  private void coreMeasurements(long rows, int defaultLimit, int blockedLimit) {
    Groups groups = Groups.generate(rows);
    Measurement exact = core("smote.core", groups, defaultLimit);
    out.accept(exact);
    Measurement blocked = core("smote.core.approximate", groups, blockedLimit);
    out.accept(blocked.with("time_over_default", blocked.median() / exact.median()));
  }

  private int repetitions(long rows) {
    return rows >= LARGE ? 1 : repetitions;
  }

  private int warmups(long rows) {
    return rows >= LARGE ? 0 : 1;
  }

  private Measurement core(String name, Groups groups, int limit) {
    for (int i = 0; i < warmups(groups.rows); i++) {
      generateAll(groups, limit);
    }
    double[] seconds = new double[repetitions(groups.rows)];
    for (int i = 0; i < seconds.length; i++) {
      long start = System.nanoTime();
      generateAll(groups, limit);
      seconds[i] = seconds(start);
    }

    Measurement measurement = Measurement.of(name, groups.rows, "s", seconds);
    measurement
        .with("rows_per_s", groups.rows / measurement.median())
        .with("synthetic_rows", groups.totalDeficit())
        .with("exact_max_rows", limit)
        .with("note", "neighbour search + interpolation of every deficit, one thread");
    withRecall(measurement, groups, limit);
    withReference(measurement, groups.rows);
    return measurement;
  }

  /** Generates every group's deficit, as {@link Smote} does in its tasks, consuming the points. */
  private void generateAll(Groups groups, int limit) {
    SmoteInterpolator interpolator = new SmoteInterpolator(K, groups.scale);
    for (int g = 1; g < SHARES.length; g++) {
      double[][] points = groups.points.get(g);
      long deficit = groups.deficit(g);
      if (points.length <= limit) {
        consume(interpolator, points, deficit, g);
        continue;
      }
      SpatialBlocks blocks =
          SpatialBlocks.fit(
              sample(points), groups.scale, SpatialBlocks.blocksFor(points.length, limit));
      int[][] members = blocks.split(points);
      Map<Long, Long> sizes = new TreeMap<>();
      for (int b = 0; b < members.length; b++) {
        sizes.put((long) b, (long) members[b].length);
      }
      Map<Long, Long> shares = Smote.share(deficit, sizes);
      for (int b = 0; b < members.length; b++) {
        double[][] block =
            Arrays.stream(members[b]).mapToObj(i -> points[i]).toArray(double[][]::new);
        consume(interpolator, block, shares.get((long) b), g * 1_000 + b);
      }
    }
  }

  private void consume(SmoteInterpolator interpolator, double[][] points, long count, long seed) {
    if (count == 0) {
      return;
    }
    var draws = interpolator.stream(points, count, seed);
    double sum = 0;
    while (draws.hasNext()) {
      sum += draws.next().values()[0];
    }
    sink += sum;
  }

  private static double[][] sample(double[][] points) {
    if (points.length <= SpatialBlocks.SAMPLE_ROWS) {
      return points;
    }
    SplittableRandom random = new SplittableRandom(SEED);
    return IntStream.range(0, SpatialBlocks.SAMPLE_ROWS)
        .mapToObj(i -> points[random.nextInt(points.length)])
        .toArray(double[][]::new);
  }

  private void withRecall(Measurement measurement, Groups groups, int limit) {
    List<String> recalls = new ArrayList<>();
    double weighted = 0;
    long rows = 0;
    int blockCount = 0;
    for (int g = 1; g < SHARES.length; g++) {
      double[][] points = groups.points.get(g);
      if (points.length > limit) {
        double recall =
            SpatialBlocks.recallAtK(points, groups.scale, K, limit, RECALL_QUERIES, SEED);
        recalls.add(
            String.format(
                "%d rows in %d blocks: %.3f",
                points.length, SpatialBlocks.blocksFor(points.length, limit), recall));
        weighted += recall * points.length;
        rows += points.length;
        blockCount += SpatialBlocks.blocksFor(points.length, limit);
      }
    }
    measurement.with("blocks", blockCount);
    if (rows > 0) {
      measurement.with("recall_at_5", weighted / rows).with("recall_by_group", recalls);
    }
  }

  private static void withReference(Measurement measurement, long rows) {
    Double reference = IMBLEARN_SECONDS.get(rows);
    if (reference != null) {
      measurement
          .with("imblearn_s", reference)
          .with("time_over_imblearn", measurement.median() / reference)
          .with(
              "imblearn_note",
              "published figure on an idle 2-core machine; bench/smote-imblearn.py gives a"
                  + " same-machine ratio");
    }
  }

  private Measurement spark(String name, Dataset<Row> table, long rows, int limit) {
    ColumnRoles roles =
        ColumnRoles.resolve(
            table.schema(),
            JobConfig.of(Map.of("label", "y", "demographics", "sex", "features", featureNames())));
    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex"));
    for (int i = 0; i < warmups(rows); i++) {
      oversample(table, roles, index, limit);
    }
    double[] seconds = new double[repetitions(rows)];
    for (int i = 0; i < seconds.length; i++) {
      long start = System.nanoTime();
      oversample(table, roles, index, limit);
      seconds[i] = seconds(start);
    }

    Measurement measurement = Measurement.of(name, rows, "s", seconds);
    measurement
        .with("rows_per_s", rows / measurement.median())
        .with("exact_max_rows", limit)
        .with("master", table.sparkSession().sparkContext().master())
        .with("note", "Smote.oversample on a cached table, synthetic rows to the noop sink");
    withReference(measurement, rows);
    return measurement;
  }

  private static void oversample(
      Dataset<Row> table, ColumnRoles roles, GroupIndex index, int limit) {
    new Smote(K, SEED, "bench", limit)
        .oversample(table, roles, index)
        .synthetic()
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
  }

  private static String featureNames() {
    return IntStream.range(0, FEATURES).mapToObj(f -> "f" + f).collect(Collectors.joining(","));
  }

  private static Dataset<Row> table(SparkSession spark, long rows) {
    StructType schema =
        new StructType().add("y", DataTypes.StringType).add("sex", DataTypes.StringType);
    for (int f = 0; f < FEATURES; f++) {
      schema = schema.add("f" + f, DataTypes.DoubleType);
    }
    int partitions = (int) Math.max(2, rows / 500_000);
    return spark
        .range(0, rows, 1, partitions)
        .map((MapFunction<Long, Row>) SmoteBenchmarks::row, Encoders.row(schema));
  }

  private static Row row(long i) {
    double[] features = new double[FEATURES];
    int group = Groups.row(i, features);
    Object[] values = new Object[2 + FEATURES];
    values[0] = GROUP_VALUES[group][0];
    values[1] = GROUP_VALUES[group][1];
    for (int f = 0; f < FEATURES; f++) {
      values[2 + f] = features[f];
    }
    return RowFactory.create(values);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The generated rows of the groups with a deficit, with every feature's scale over all rows. */
  private static final class Groups {
    private final long rows;
    private final long[] counts;
    private final List<double[][]> points;
    private final double[] scale;

    private Groups(long rows, long[] counts, List<double[][]> points, double[] scale) {
      this.rows = rows;
      this.counts = counts;
      this.points = points;
      this.scale = scale;
    }

    /**
     * Generates row i's features into {@code into} and returns its group: a blood count like the
     * paper's data (haematocrit, haemoglobin, erythrocytes, leucocytes, thrombocytes, the indices
     * MCH, MCHC and MCV derived from the first three, and age), rounded as a laboratory reports it,
     * its means shifted by sex and by in- or out-patient.
     */
    static int row(long i, double[] into) {
      SplittableRandom random = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + i);
      int group = group(random.nextDouble());
      double female = group % 2;
      double inpatient = group / 2;
      double haemoglobin =
          Math.max(3, round(normal(random, 14.6 - 1.6 * female - 1.2 * inpatient, 1.6), 1));
      double haematocrit = Math.max(10, round(normal(random, haemoglobin * 2.95, 1.3), 1));
      double erythrocytes = Math.max(1, round(normal(random, haemoglobin / 2.9, 0.35), 2));
      into[0] = haematocrit;
      into[1] = haemoglobin;
      into[2] = erythrocytes;
      into[3] = round(Math.exp(normal(random, Math.log(7.5) + 0.3 * inpatient, 0.4)), 1);
      into[4] = Math.max(5, Math.rint(normal(random, 260 + 20 * female - 25 * inpatient, 80)));
      into[5] = round(haemoglobin / erythrocytes * 10, 1);
      into[6] = round(haemoglobin / haematocrit * 100, 1);
      into[7] = round(haematocrit / erythrocytes * 10, 1);
      into[8] = 1 + random.nextInt(99);
      return group;
    }

    private static int group(double u) {
      int group = 0;
      double cumulative = SHARES[0];
      while (u >= cumulative && group < SHARES.length - 1) {
        cumulative += SHARES[++group];
      }
      return group;
    }

    private static double normal(SplittableRandom random, double mean, double deviation) {
      return mean + deviation * random.nextGaussian();
    }

    private static double round(double value, int decimals) {
      double unit = Math.pow(10, decimals);
      return Math.rint(value * unit) / unit;
    }

    static Groups generate(long rows) {
      List<List<double[]>> members = new ArrayList<>();
      for (int g = 0; g < SHARES.length; g++) {
        members.add(new ArrayList<>());
      }
      long[] counts = new long[SHARES.length];
      double[] sum = new double[FEATURES];
      double[] sumOfSquares = new double[FEATURES];
      double[] features = new double[FEATURES];
      for (long i = 0; i < rows; i++) {
        int group = row(i, features);
        counts[group]++;
        for (int f = 0; f < FEATURES; f++) {
          sum[f] += features[f];
          sumOfSquares[f] += features[f] * features[f];
        }
        if (group > 0) {
          members.get(group).add(features.clone());
        }
      }
      double[] scale = new double[FEATURES];
      for (int f = 0; f < FEATURES; f++) {
        double mean = sum[f] / rows;
        scale[f] = Math.sqrt((sumOfSquares[f] - rows * mean * mean) / (rows - 1));
      }
      List<double[][]> points = members.stream().map(m -> m.toArray(double[][]::new)).toList();
      return new Groups(rows, counts, points, scale);
    }

    long deficit(int group) {
      return counts[0] - counts[group];
    }

    long totalDeficit() {
      return IntStream.range(1, SHARES.length).mapToLong(this::deficit).sum();
    }
  }
}
