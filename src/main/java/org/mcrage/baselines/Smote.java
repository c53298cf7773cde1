package org.mcrage.baselines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;
import org.mcrage.config.Settings;
import org.mcrage.groups.FillPolicy;
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.ColumnRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMOTE inside each intersectional group, on Spark: rows are grouped by phi, and each group's
 * deficit is generated in one task by {@link SmoteInterpolator} (exact k nearest neighbours within
 * the group from a KD-tree, seeded interpolation).
 *
 * <p>A group of more than {@code smote.exact-max-rows} usable rows does not fit one task: it is
 * split into {@link SpatialBlocks} of about that many rows, each generating its share of the
 * deficit (in proportion to its rows) from exact neighbours within the block, in its own task.
 * Neighbours across a block's edge are missed there; {@link SpatialBlocks#recallAtK} measures how
 * often. Such groups are reported in {@link OversampledRows#notes()}.
 *
 * <p>Only rows with a value in every feature take part. A group with fewer than k + 1 such rows
 * uses all its other rows as neighbours, a group of one row is filled with copies of it, and a
 * group with none stays as it is; each of these is reported in {@link OversampledRows#notes()}.
 * Integer feature columns are rounded after interpolation; columns carried through are null.
 */
public final class Smote {
  private static final Logger LOG = LoggerFactory.getLogger(Smote.class);

  /** Hash buckets of the sample that fits a large group's blocks. */
  private static final long SAMPLE_BUCKETS = 1L << 30;

  private final int k;
  private final long seed;
  private final String runId;
  private final int exactMaxRows;

  /**
   * Creates the baseline with the default {@code smote.exact-max-rows}.
   *
   * @param k neighbours per row (the paper's baseline uses 5)
   * @param seed the seed of every draw
   * @param runId the run id stamped on every row
   */
  public Smote(int k, long seed, String runId) {
    this(
        k,
        seed,
        runId,
        Settings.SMOTE_EXACT_MAX_ROWS.parse(Settings.SMOTE_EXACT_MAX_ROWS.defaultValue()));
  }

  /**
   * Creates the baseline.
   *
   * @param k neighbours per row (the paper's baseline uses 5)
   * @param seed the seed of every draw
   * @param runId the run id stamped on every row
   * @param exactMaxRows the largest group searched exactly in one task ({@code
   *     smote.exact-max-rows}); larger groups are split into blocks of about this many rows
   */
  public Smote(int k, long seed, String runId, int exactMaxRows) {
    if (exactMaxRows <= k) {
      throw new IllegalArgumentException(
          "exactMaxRows must exceed k = " + k + ", got " + exactMaxRows);
    }
    this.k = k;
    this.seed = seed;
    this.runId = runId;
    this.exactMaxRows = exactMaxRows;
  }

  /**
   * Oversamples a table.
   *
   * @param rows the input rows
   * @param roles the column roles
   * @param index the group index
   * @return the real and generated rows, and notes on groups too small for k neighbours or split
   *     into blocks
   */
  public OversampledRows oversample(Dataset<Row> rows, ColumnRoles roles, GroupIndex index) {
    return oversample(rows, roles, index, FillPolicy.MAJORITY);
  }

  /**
   * Oversamples a table, filling each group as a fill policy says.
   *
   * @param rows the input rows
   * @param roles the column roles
   * @param index the group index
   * @param fill how far each group is filled ({@code groups.fill})
   * @return the real and generated rows, and notes on groups too small for k neighbours or split
   *     into blocks
   */
  public OversampledRows oversample(
      Dataset<Row> rows, ColumnRoles roles, GroupIndex index, FillPolicy fill) {
    Dataset<Row> real = OversampledRows.withLineage(rows, index, runId);
    GroupTable groups = OversampledRows.count(real, index, fill);
    Dataset<Row> usable = real.where(complete(roles));
    Map<Integer, Long> usableCounts = counts(usable);

    double[] scale = scales(usable, roles.features());
    SmoteInterpolator interpolator = new SmoteInterpolator(k, scale);
    Map<Integer, Long> deficits = new TreeMap<>();
    List<String> notes = new ArrayList<>();
    for (GroupTable.Group group : groups.groups()) {
      long n = usableCounts.getOrDefault(group.phi(), 0L);
      if (group.deficit() > 0 && n > 0) {
        deficits.put(group.phi(), group.deficit());
      }
      note(index, group, n, interpolator).ifPresent(notes::add);
    }

    int[] features = featurePositions(real.schema(), roles);
    Map<Integer, SpatialBlocks> blocks = fitBlocks(usable, features, usableCounts, deficits, scale);
    blocks.forEach((phi, b) -> notes.add(blockNote(index, phi, usableCounts.get(phi), b)));
    notes.forEach(note -> LOG.warn("smote: {}", note));

    BlockKey key = new BlockKey(features, blocks);
    Map<Long, Long> keyDeficits = keyDeficits(usable, key, deficits, blocks);
    logPlan(deficits, blocks);
    GroupSampler sampler =
        new GroupSampler(
            interpolator,
            keyDeficits,
            features,
            carriedPositions(real.schema(), roles),
            real.schema(),
            seed);
    Dataset<Row> synthetic =
        usable
            .where(inGroups(deficits.keySet()))
            .groupByKey(key, Encoders.LONG())
            .flatMapGroups(sampler, Encoders.row(real.schema()));
    return new OversampledRows(real, synthetic, groups, List.copyOf(notes));
  }

  private static void logPlan(Map<Integer, Long> deficits, Map<Integer, SpatialBlocks> blocks) {
    LOG.info(
        "smote: {} groups to fill, {} rows to add, {} of them split into {} blocks (approximate)",
        deficits.size(),
        deficits.values().stream().mapToLong(Long::longValue).sum(),
        blocks.size(),
        blocks.values().stream().mapToInt(SpatialBlocks::count).sum());
  }

  private static Column complete(ColumnRoles roles) {
    Column complete = col(LineageColumns.GROUP).isNotNull();
    for (String feature : roles.features()) {
      complete = complete.and(col(feature).isNotNull());
    }
    return complete;
  }

  private static Column inGroups(Collection<Integer> phis) {
    return phis.isEmpty() ? lit(false) : col(LineageColumns.GROUP).isin(phis.toArray());
  }

  /**
   * Fits the spatial blocks of every group with a deficit and more usable rows than the exact
   * limit, from a seeded sample of each that does not depend on partitioning (a hash of the row's
   * features).
   */
  private Map<Integer, SpatialBlocks> fitBlocks(
      Dataset<Row> usable,
      int[] features,
      Map<Integer, Long> usableCounts,
      Map<Integer, Long> deficits,
      double[] scale) {
    List<Integer> large =
        deficits.keySet().stream().filter(phi -> usableCounts.get(phi) > exactMaxRows).toList();
    if (large.isEmpty()) {
      return Map.of();
    }
    Map<Integer, List<double[]>> samples = sampleRows(usable, features, usableCounts, large);
    Map<Integer, SpatialBlocks> blocks = new TreeMap<>();
    for (int phi : large) {
      double[][] sample = samples.getOrDefault(phi, List.of()).toArray(double[][]::new);
      if (sample.length > 0) {
        int count = SpatialBlocks.blocksFor(usableCounts.get(phi), exactMaxRows);
        blocks.put(phi, SpatialBlocks.fit(sample, scale, count));
      }
    }
    return blocks;
  }

  private Map<Integer, List<double[]>> sampleRows(
      Dataset<Row> usable, int[] features, Map<Integer, Long> usableCounts, List<Integer> large) {
    String[] names =
        Arrays.stream(features)
            .mapToObj(f -> usable.schema().fields()[f].name())
            .toArray(String[]::new);
    Column[] hashed = new Column[names.length + 1];
    Column[] selected = new Column[names.length + 1];
    selected[0] = col(LineageColumns.GROUP);
    for (int f = 0; f < names.length; f++) {
      hashed[f] = col(names[f]).cast("double");
      selected[f + 1] = col(names[f]).cast("double");
    }
    hashed[names.length] = lit(seed);
    Column threshold = lit(SAMPLE_BUCKETS);
    for (int phi : large) {
      long buckets = SAMPLE_BUCKETS * SpatialBlocks.SAMPLE_ROWS / usableCounts.get(phi);
      threshold = when(col(LineageColumns.GROUP).equalTo(phi), lit(buckets)).otherwise(threshold);
    }
    Column kept = pmod(xxhash64(hashed), lit(SAMPLE_BUCKETS)).lt(threshold);

    Map<Integer, List<double[]>> samples = new HashMap<>();
    for (Row row : usable.where(inGroups(large).and(kept)).select(selected).collectAsList()) {
      double[] values = new double[names.length];
      for (int f = 0; f < values.length; f++) {
        values[f] = row.getDouble(f + 1);
      }
      samples.computeIfAbsent(row.getInt(0), phi -> new ArrayList<>()).add(values);
    }
    return samples;
  }

  /**
   * Returns the rows to add under each task key: a group's deficit, or for a group in blocks its
   * deficit shared among the blocks in proportion to their rows (largest remainders).
   */
  private static Map<Long, Long> keyDeficits(
      Dataset<Row> usable,
      BlockKey key,
      Map<Integer, Long> deficits,
      Map<Integer, SpatialBlocks> blocks) {
    Map<Long, Long> keyDeficits = new HashMap<>();
    deficits.forEach(
        (phi, deficit) -> {
          if (!blocks.containsKey(phi)) {
            keyDeficits.put(BlockKey.of(phi, 0), deficit);
          }
        });
    if (blocks.isEmpty()) {
      return keyDeficits;
    }
    Map<Integer, Map<Long, Long>> blockRows = new TreeMap<>();
    for (Row row :
        usable
            .where(inGroups(blocks.keySet()))
            .map(key, Encoders.LONG())
            .groupBy("value")
            .count()
            .collectAsList()) {
      long block = row.getLong(0);
      blockRows
          .computeIfAbsent(BlockKey.phi(block), phi -> new TreeMap<>())
          .put(block, row.getLong(1));
    }
    blockRows.forEach((phi, rows) -> keyDeficits.putAll(share(deficits.get(phi), rows)));
    return keyDeficits;
  }

  /**
   * Shares a total among parts in proportion to their weights: floors, then one more to the largest
   * remainders (ties to the lower key).
   *
   * @param total what to share
   * @param weights each part's weight (a block's rows), not all 0
   * @return each part's share; the shares add up to the total
   */
  public static Map<Long, Long> share(long total, Map<Long, Long> weights) {
    long sum = weights.values().stream().mapToLong(Long::longValue).sum();
    Map<Long, Long> shares = new TreeMap<>();
    List<long[]> remainders = new ArrayList<>();
    long given = 0;
    for (Map.Entry<Long, Long> part : weights.entrySet()) {
      long product = Math.multiplyExact(total, part.getValue());
      shares.put(part.getKey(), product / sum);
      given += product / sum;
      remainders.add(new long[] {product % sum, part.getKey()});
    }
    remainders.sort(Comparator.<long[]>comparingLong(r -> -r[0]).thenComparingLong(r -> r[1]));
    for (int i = 0; i < total - given; i++) {
      shares.merge(remainders.get(i)[1], 1L, Long::sum);
    }
    return shares;
  }

  private String blockNote(GroupIndex index, int phi, long rows, SpatialBlocks blocks) {
    return index.describe(phi)
        + ": "
        + rows
        + " rows, more than "
        + Settings.SMOTE_EXACT_MAX_ROWS.key()
        + " = "
        + exactMaxRows
        + "; neighbours searched within "
        + blocks.count()
        + " spatial blocks (approximate)";
  }

  private java.util.Optional<String> note(
      GroupIndex index, GroupTable.Group group, long usable, SmoteInterpolator interpolator) {
    if (group.deficit() == 0 || usable > k) {
      return java.util.Optional.empty();
    }
    String name = index.describe(group.phi());
    if (usable == 0) {
      return java.util.Optional.of(
          name + ": no row with every feature, left with " + group.count() + " rows");
    }
    if (usable == 1) {
      return java.util.Optional.of(
          name + ": a single row, filled with " + group.deficit() + " copies of it");
    }
    return java.util.Optional.of(
        name
            + ": "
            + usable
            + " rows, fewer than k + 1 = "
            + (k + 1)
            + "; interpolated with "
            + interpolator.neighboursFor(usable)
            + " neighbours");
  }

  private static Map<Integer, Long> counts(Dataset<Row> usable) {
    Map<Integer, Long> counts = new HashMap<>();
    for (Row row : usable.groupBy(LineageColumns.GROUP).count().collectAsList()) {
      counts.put(row.getInt(0), row.getLong(1));
    }
    return counts;
  }

  private static double[] scales(Dataset<Row> usable, List<String> features) {
    Column[] deviations =
        features.stream().map(f -> stddev_samp(col(f).cast("double"))).toArray(Column[]::new);
    Row row =
        usable
            .agg(deviations[0], java.util.Arrays.copyOfRange(deviations, 1, deviations.length))
            .first();
    double[] scale = new double[features.size()];
    for (int f = 0; f < scale.length; f++) {
      Object value = row.get(f);
      double deviation = value == null ? Double.NaN : ((Number) value).doubleValue();
      scale[f] = Double.isFinite(deviation) && deviation > 0 ? deviation : 1.0;
    }
    return scale;
  }

  private static int[] featurePositions(StructType schema, ColumnRoles roles) {
    return roles.features().stream().mapToInt(schema::fieldIndex).toArray();
  }

  private static int[] carriedPositions(StructType schema, ColumnRoles roles) {
    return roles.carried().stream().mapToInt(schema::fieldIndex).toArray();
  }

  /**
   * The task key of a usable row: its group in the high 32 bits, its spatial block (0 for a group
   * searched whole) in the low.
   */
  private static final class BlockKey implements MapFunction<Row, Long> {
    private static final long serialVersionUID = 1L;

    private final int[] features;
    private final HashMap<Integer, SpatialBlocks> blocks;

    BlockKey(int[] features, Map<Integer, SpatialBlocks> blocks) {
      this.features = features;
      this.blocks = new HashMap<>(blocks);
    }

    static long of(int phi, int block) {
      return ((long) phi << 32) | block;
    }

    static int phi(long key) {
      return (int) (key >>> 32);
    }

    static int block(long key) {
      return (int) key;
    }

    @Override
    public Long call(Row row) {
      int phi = row.getAs(LineageColumns.GROUP);
      SpatialBlocks groupBlocks = blocks.get(phi);
      return of(phi, groupBlocks == null ? 0 : groupBlocks.blockOf(values(row, features)));
    }
  }

  private static double[] values(Row row, int[] features) {
    double[] values = new double[features.length];
    for (int f = 0; f < features.length; f++) {
      values[f] = ((Number) row.get(features[f])).doubleValue();
    }
    return values;
  }

  /** Generates one group's (or one block's) rows in an executor task, lazily. */
  private static final class GroupSampler implements FlatMapGroupsFunction<Long, Row, Row> {
    private static final long serialVersionUID = 1L;

    private final SmoteInterpolator interpolator;
    private final HashMap<Long, Long> deficits;
    private final int[] features;
    private final DataType[] types;
    private final int syntheticPosition;
    private final int[] carried;
    private final long seed;

    GroupSampler(
        SmoteInterpolator interpolator,
        Map<Long, Long> deficits,
        int[] features,
        int[] carried,
        StructType schema,
        long seed) {
      this.interpolator = interpolator;
      this.deficits = new HashMap<>(deficits);
      this.features = features;
      this.carried = carried;
      this.types = new DataType[features.length];
      for (int f = 0; f < features.length; f++) {
        types[f] = schema.fields()[features[f]].dataType();
      }
      this.syntheticPosition = schema.fieldIndex(LineageColumns.SYNTHETIC);
      this.seed = seed;
    }

    /**
     * Generates the key's rows. The rows are put in the order of their features, so the result does
     * not depend on partitioning; rows with equal features are interchangeable, since a generated
     * row takes only the features of its rows and the group's label, demographics and lineage (the
     * same on every row of a group).
     */
    @Override
    public Iterator<Row> call(Long key, Iterator<Row> rows) {
      long deficit = deficits.getOrDefault(key, 0L);
      if (deficit == 0) {
        return Collections.emptyIterator();
      }
      Row template = rows.next();
      List<double[]> group = new ArrayList<>();
      group.add(values(template, features));
      rows.forEachRemaining(row -> group.add(values(row, features)));
      double[][] points = group.toArray(double[][]::new);
      Arrays.sort(points, Arrays::compare);

      Iterator<SmoteInterpolator.Point> draws = interpolator.stream(points, deficit, taskSeed(key));
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return draws.hasNext();
        }

        @Override
        public Row next() {
          return toRow(template, draws.next().values());
        }
      };
    }

    private long taskSeed(long key) {
      long groupSeed = seed * 1_000_003L + BlockKey.phi(key);
      return groupSeed + BlockKey.block(key) * 0x9E3779B97F4A7C15L;
    }

    private Row toRow(Row base, double[] point) {
      Object[] values = new Object[base.length()];
      for (int i = 0; i < values.length; i++) {
        values[i] = base.get(i);
      }
      for (int f = 0; f < features.length; f++) {
        values[features[f]] = convert(point[f], types[f]);
      }
      for (int position : carried) {
        values[position] = null;
      }
      values[syntheticPosition] = true;
      return RowFactory.create(values);
    }

    private static Object convert(double value, DataType type) {
      if (type instanceof IntegerType) {
        return (int) Math.round(value);
      } else if (type instanceof LongType) {
        return Math.round(value);
      } else if (type instanceof ShortType) {
        return (short) Math.round(value);
      } else if (type instanceof ByteType) {
        return (byte) Math.round(value);
      } else if (type instanceof FloatType) {
        return (float) value;
      } else if (type instanceof DecimalType decimal) {
        return BigDecimal.valueOf(value).setScale(decimal.scale(), java.math.RoundingMode.HALF_UP);
      }
      return value;
    }
  }
}
