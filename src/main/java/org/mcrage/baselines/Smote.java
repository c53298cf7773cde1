package org.mcrage.baselines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.stddev_samp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
import org.mcrage.groups.GroupIndex;
import org.mcrage.groups.GroupTable;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.ColumnRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMOTE inside each intersectional group, on Spark: rows are grouped by phi, and each group's
 * deficit is generated in one task by {@link SmoteInterpolator} (k nearest neighbours within the
 * group, seeded interpolation).
 *
 * <p>Only rows with a value in every feature take part. A group with fewer than k + 1 such rows
 * uses all its other rows as neighbours, a group of one row is filled with copies of it, and a
 * group with none stays as it is; each of these is reported in {@link OversampledRows#notes()}.
 * Integer feature columns are rounded after interpolation; columns carried through are null.
 */
public final class Smote {
  private static final Logger LOG = LoggerFactory.getLogger(Smote.class);

  private final int k;
  private final long seed;
  private final String runId;

  /**
   * Creates the baseline.
   *
   * @param k neighbours per row (the paper's baseline uses 5)
   * @param seed the seed of every draw
   * @param runId the run id stamped on every row
   */
  public Smote(int k, long seed, String runId) {
    this.k = k;
    this.seed = seed;
    this.runId = runId;
  }

  /**
   * Oversamples a table.
   *
   * @param rows the input rows
   * @param roles the column roles
   * @param index the group index
   * @return the real and generated rows, and notes on groups too small for k neighbours
   */
  public OversampledRows oversample(Dataset<Row> rows, ColumnRoles roles, GroupIndex index) {
    Dataset<Row> real = OversampledRows.withLineage(rows, index, runId);
    GroupTable groups = OversampledRows.count(real, index);
    Column complete = col(LineageColumns.GROUP).isNotNull();
    for (String feature : roles.features()) {
      complete = complete.and(col(feature).isNotNull());
    }
    Dataset<Row> usable = real.where(complete);
    Map<Integer, Long> usableCounts = counts(usable);

    SmoteInterpolator interpolator = new SmoteInterpolator(k, scales(usable, roles.features()));
    Map<Integer, Long> deficits = new HashMap<>();
    List<String> notes = new ArrayList<>();
    for (GroupTable.Group group : groups.groups()) {
      long n = usableCounts.getOrDefault(group.phi(), 0L);
      if (group.deficit() > 0 && n > 0) {
        deficits.put(group.phi(), group.deficit());
      }
      note(index, group, n, interpolator).ifPresent(notes::add);
    }
    notes.forEach(note -> LOG.warn("smote: {}", note));

    GroupSampler sampler =
        new GroupSampler(
            interpolator,
            deficits,
            featurePositions(real.schema(), roles),
            carriedPositions(real.schema(), roles),
            real.schema(),
            seed);
    Dataset<Row> synthetic =
        usable
            .groupByKey(
                (MapFunction<Row, Integer>) row -> row.getAs(LineageColumns.GROUP), Encoders.INT())
            .flatMapGroups(sampler, Encoders.row(real.schema()));
    return new OversampledRows(real, synthetic, groups, List.copyOf(notes));
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

  /** Generates one group's rows in an executor task. */
  private static final class GroupSampler implements FlatMapGroupsFunction<Integer, Row, Row> {
    private static final long serialVersionUID = 1L;

    private final SmoteInterpolator interpolator;
    private final HashMap<Integer, Long> deficits;
    private final int[] features;
    private final DataType[] types;
    private final int syntheticPosition;
    private final int[] carried;
    private final long seed;

    GroupSampler(
        SmoteInterpolator interpolator,
        Map<Integer, Long> deficits,
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

    @Override
    public Iterator<Row> call(Integer phi, Iterator<Row> rows) {
      long deficit = deficits.getOrDefault(phi, 0L);
      if (deficit == 0) {
        return java.util.Collections.emptyIterator();
      }
      List<Row> group = new ArrayList<>();
      rows.forEachRemaining(group::add);
      group.sort(Comparator.comparing(this::sortKey));

      double[][] points = new double[group.size()][];
      for (int i = 0; i < points.length; i++) {
        points[i] = values(group.get(i));
      }
      long groupSeed = seed * 1_000_003L + phi;
      List<Row> generated = new ArrayList<>();
      for (SmoteInterpolator.Point point :
          interpolator.generate(points, Math.toIntExact(deficit), groupSeed)) {
        generated.add(toRow(group.get(point.base()), point.values()));
      }
      return generated.iterator();
    }

    private String sortKey(Row row) {
      StringBuilder key = new StringBuilder();
      for (double value : values(row)) {
        key.append(String.format("%024.12f|", value));
      }
      return key.append(row.mkString("|")).toString();
    }

    private double[] values(Row row) {
      double[] values = new double[features.length];
      for (int f = 0; f < features.length; f++) {
        values[f] = ((Number) row.get(features[f])).doubleValue();
      }
      return values;
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
