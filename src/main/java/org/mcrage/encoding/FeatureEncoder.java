package org.mcrage.encoding;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mcrage.config.McrageException;

/**
 * Encodes feature columns of every {@link ColumnKind} into the float vectors the diffusion model
 * works on, and decodes generated vectors back to values of each column's own Spark type.
 *
 * <p>Layout, feature after feature: a numeric feature (continuous, integer, bounded) takes one
 * dimension, its value standardised by mean and population standard deviation, or, when fitted with
 * quantile knots, mapped onto a standard normal through its empirical quantiles (see {@code
 * QuantileNormal}; generated values then follow the real marginal shape and stay in its range). A
 * categorical feature takes a one-hot block of its levels. A feature with nulls in the input gets
 * one more dimension, its missingness indicator (1 for null, 0 otherwise); the value dimension of a
 * null is 0, the mean in the scaled space, so a null is learned as information and never dropped or
 * imputed.
 *
 * <p>Categorical features use a one-hot block with argmax decoding rather than multinomial
 * diffusion: the Gaussian DDPM in {@code org.mcrage.diffusion} stays unchanged (it sees only
 * floats), the block costs one dimension per level, and decoding takes the argmax over the levels
 * seen in the generated row's own group only, which guarantees that every generated category was
 * seen in that group's real rows. Decoding returns null where the indicator exceeds 0.5, so
 * generated rows have nulls at about the real rate of their group; numeric values are clipped to
 * the observed range (or the declared bounds) and rounded for integer features.
 *
 * <p>Kinds are inferred unless declared: text and boolean columns, and whole-valued columns with at
 * most {@value #SMALL_CARDINALITY} distinct values, are categorical; other whole-valued columns are
 * integer; the rest continuous. A text column that looks like an identifier (more than {@value
 * #MAX_LEVELS} levels, or distinct values for most rows) is not encoded unless declared: it is
 * listed in {@link #skipped()} and the job carries it through.
 */
public final class FeatureEncoder implements Serializable {
  private static final long serialVersionUID = 3L;

  /** Most levels a categorical feature may have. */
  public static final int MAX_LEVELS = 100;

  /** Whole-valued numeric columns with at most this many distinct values are categorical. */
  public static final int SMALL_CARDINALITY = 5;

  /** Group argument of {@link #decode(float[], int)} that allows every level. */
  public static final int ANY_GROUP = -1;

  private static final int STATS = 8;

  /**
   * What the encoder learned about one feature.
   *
   * @param name the column
   * @param type the column's Spark type
   * @param kind how it is encoded
   * @param mean the mean of its non-null values (numeric kinds; 0 for categorical)
   * @param scale the standard deviation, or 1 for a constant or categorical column
   * @param min the smallest value generated (the observed minimum unless declared)
   * @param max the largest value generated (the observed maximum unless declared)
   * @param nullable whether it has a missingness indicator (the input had nulls)
   * @param levels the categorical levels, in order (empty for numeric kinds)
   * @param levelsByGroup the indices of the levels seen in each group's real rows, by phi
   * @param quantiles for a numeric feature encoded through its quantiles, the values at evenly
   *     spaced probabilities from 0 to 1; empty where the feature is standardised
   */
  public record Feature(
      String name,
      DataType type,
      ColumnKind kind,
      double mean,
      double scale,
      double min,
      double max,
      boolean nullable,
      List<Object> levels,
      Map<Integer, BitSet> levelsByGroup,
      double[] quantiles)
      implements Serializable {

    /**
     * A feature encoded by standardisation (numeric) or one-hot (categorical).
     *
     * @param name the column
     * @param type the column's Spark type
     * @param kind how it is encoded
     * @param mean the mean of its non-null values
     * @param scale the standard deviation
     * @param min the smallest value generated
     * @param max the largest value generated
     * @param nullable whether it has a missingness indicator
     * @param levels the categorical levels
     * @param levelsByGroup the levels seen in each group
     */
    public Feature(
        String name,
        DataType type,
        ColumnKind kind,
        double mean,
        double scale,
        double min,
        double max,
        boolean nullable,
        List<Object> levels,
        Map<Integer, BitSet> levelsByGroup) {
      this(name, type, kind, mean, scale, min, max, nullable, levels, levelsByGroup, new double[0]);
    }

    /**
     * A numeric feature without nulls (the encoder's original form).
     *
     * @param name the column
     * @param type the column's Spark type
     * @param mean the mean
     * @param scale the standard deviation
     * @param min the smallest observed value
     * @param max the largest observed value
     * @param integral whether generated values are rounded
     */
    public Feature(
        String name,
        DataType type,
        double mean,
        double scale,
        double min,
        double max,
        boolean integral) {
      this(
          name,
          type,
          integral ? ColumnKind.INTEGER : ColumnKind.CONTINUOUS,
          mean,
          scale,
          min,
          max,
          false,
          List.of(),
          Map.of());
    }

    /** Returns whether the feature is encoded through its quantiles onto a standard normal. */
    public boolean quantileEncoded() {
      return quantiles.length > 1;
    }

    /** Returns whether generated values are whole numbers. */
    public boolean integral() {
      return kind == ColumnKind.INTEGER;
    }

    /** Returns the number of dimensions it takes in the encoded vector. */
    public int width() {
      return (kind == ColumnKind.CATEGORICAL ? levels.size() : 1) + (nullable ? 1 : 0);
    }
  }

  private final List<Feature> features;
  private final Map<String, String> skipped;
  private final int[] offsets;
  private final int dimension;
  private final QuantileNormal[] transforms;

  /**
   * Creates an encoder from fitted features.
   *
   * @param features the features, in model order
   */
  public FeatureEncoder(List<Feature> features) {
    this(features, Map.of());
  }

  private FeatureEncoder(List<Feature> features, Map<String, String> skipped) {
    this.features = List.copyOf(features);
    this.skipped = Map.copyOf(skipped);
    this.offsets = new int[features.size()];
    this.transforms = new QuantileNormal[features.size()];
    int offset = 0;
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = offset;
      offset += features.get(i).width();
      if (features.get(i).quantileEncoded()) {
        transforms[i] = new QuantileNormal(features.get(i).quantiles());
      }
    }
    this.dimension = offset;
  }

  /**
   * Fits the encoder with inferred kinds and no per-group restriction of categorical levels.
   *
   * @param table the input table
   * @param featureColumns the feature columns
   * @return the encoder
   */
  public static FeatureEncoder fit(Dataset<Row> table, List<String> featureColumns) {
    return fit(table, featureColumns, Map.of(), null);
  }

  /**
   * Fits the encoder: one aggregation for the statistics, then one {@code groupBy} over the groups
   * for the levels of every categorical feature.
   *
   * @param table the input table
   * @param featureColumns the candidate feature columns, in model order
   * @param declared kinds declared in config, by column (the rest are inferred)
   * @param phiColumn the group column, or null to allow every level in every group
   * @return the encoder; identifier-like text columns are left out and listed in {@link #skipped()}
   * @throws McrageException for an unsupported type, NaN or infinite values, a column with no
   *     values, or a declared categorical column with too many levels
   */
  public static FeatureEncoder fit(
      Dataset<Row> table,
      List<String> featureColumns,
      Map<String, ColumnKind.Declared> declared,
      String phiColumn) {
    return fit(table, featureColumns, declared, phiColumn, 0);
  }

  /**
   * Fits the encoder, optionally mapping numeric features onto a standard normal through their
   * quantiles (one more aggregation, {@code quantileKnots} approximate quantiles per feature).
   *
   * @param table the input table
   * @param featureColumns the candidate feature columns, in model order
   * @param declared kinds declared in config, by column (the rest are inferred)
   * @param phiColumn the group column, or null to allow every level in every group
   * @param quantileKnots quantiles kept per numeric feature for the quantile-normal transform, or 0
   *     to standardise numeric features
   * @return the encoder
   */
  public static FeatureEncoder fit(
      Dataset<Row> table,
      List<String> featureColumns,
      Map<String, ColumnKind.Declared> declared,
      String phiColumn,
      int quantileKnots) {
    StructType schema = table.schema();
    featureColumns.forEach(name -> requireSupported(schema.apply(name), declared.get(name)));
    Row stats = statistics(table, schema, featureColumns);
    long rows = stats.getLong(0);

    Map<String, ColumnKind> kinds = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (int i = 0; i < featureColumns.size(); i++) {
      StructField field = schema.apply(featureColumns.get(i));
      ColumnKind.Declared declaration = declared.get(field.name());
      ColumnKind kind = kind(field, declaration, stats, 1 + i * STATS);
      String reason = identifierReason(field, kind, declaration, stats, 1 + i * STATS);
      if (reason == null) {
        kinds.put(field.name(), kind);
      } else {
        skipped.put(field.name(), reason);
      }
    }

    Map<String, Map<Integer, List<Object>>> levels = levelsByGroup(table, kinds, phiColumn);
    List<Feature> features = new ArrayList<>();
    for (Map.Entry<String, ColumnKind> entry : kinds.entrySet()) {
      StructField field = schema.apply(entry.getKey());
      int offset = 1 + featureColumns.indexOf(entry.getKey()) * STATS;
      ColumnKind.Declared declaration = declared.get(field.name());
      features.add(
          feature(
              field, entry.getValue(), declaration, stats, offset, rows, levels.get(field.name())));
    }
    if (quantileKnots > 1) {
      features = withQuantiles(table, features, (int) Math.min(quantileKnots, Math.max(2, rows)));
    }
    return new FeatureEncoder(features, skipped);
  }

  /** One pass over the table for the approximate quantiles of every numeric feature. */
  private static List<Feature> withQuantiles(
      Dataset<Row> table, List<Feature> features, int knots) {
    String[] numeric =
        features.stream()
            .filter(f -> f.kind() != ColumnKind.CATEGORICAL && f.max() > f.min())
            .map(Feature::name)
            .toArray(String[]::new);
    if (numeric.length == 0) {
      return features;
    }
    double[] probabilities = new double[knots];
    for (int k = 0; k < knots; k++) {
      probabilities[k] = k / (double) (knots - 1);
    }
    Column[] casts =
        Arrays.stream(numeric)
            .map(name -> col(name).cast("double").as(name))
            .toArray(Column[]::new);
    double[][] quantiles =
        table.select(casts).stat().approxQuantile(numeric, probabilities, 1.0 / (4.0 * knots));
    List<String> names = Arrays.asList(numeric);
    List<Feature> result = new ArrayList<>();
    for (Feature f : features) {
      int position = names.indexOf(f.name());
      result.add(
          position < 0
              ? f
              : new Feature(
                  f.name(),
                  f.type(),
                  f.kind(),
                  f.mean(),
                  f.scale(),
                  f.min(),
                  f.max(),
                  f.nullable(),
                  f.levels(),
                  f.levelsByGroup(),
                  clip(quantiles[position], f.min(), f.max())));
    }
    return result;
  }

  private static double[] clip(double[] values, double lower, double upper) {
    double[] clipped = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      clipped[i] = Math.max(lower, Math.min(upper, values[i]));
    }
    return clipped;
  }

  /** One {@code groupBy} over the groups collects every categorical feature's levels. */
  private static Map<String, Map<Integer, List<Object>>> levelsByGroup(
      Dataset<Row> table, Map<String, ColumnKind> kinds, String phiColumn) {
    List<String> categorical =
        kinds.entrySet().stream()
            .filter(entry -> entry.getValue() == ColumnKind.CATEGORICAL)
            .map(Map.Entry::getKey)
            .toList();
    Map<String, Map<Integer, List<Object>>> levels = new HashMap<>();
    if (categorical.isEmpty()) {
      return levels;
    }
    Column group = phiColumn == null ? lit(ANY_GROUP) : coalesce(col(phiColumn), lit(ANY_GROUP));
    Column[] sets = categorical.stream().map(name -> collect_set(col(name))).toArray(Column[]::new);
    List<Row> rows =
        table
            .groupBy(group.as("group"))
            .agg(sets[0], Arrays.copyOfRange(sets, 1, sets.length))
            .collectAsList();
    for (int i = 0; i < categorical.size(); i++) {
      Map<Integer, List<Object>> byGroup = new HashMap<>();
      for (Row row : rows) {
        byGroup.put(row.getInt(0), row.getList(i + 1));
      }
      levels.put(categorical.get(i), byGroup);
    }
    return levels;
  }

  private static Row statistics(Dataset<Row> table, StructType schema, List<String> columns) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    for (String name : columns) {
      boolean numeric = schema.apply(name).dataType() instanceof NumericType;
      Column value = numeric ? col(name).cast("double") : lit(null).cast("double");
      aggregates.add(mean(value));
      aggregates.add(stddev_pop(value));
      aggregates.add(min(value));
      aggregates.add(max(value));
      aggregates.add(sum(when(value.notEqual(floor(value)), 1).otherwise(0)));
      aggregates.add(
          sum(
              when(
                      isnan(value)
                          .or(value.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
                      1)
                  .otherwise(0)));
      aggregates.add(count(col(name)));
      aggregates.add(approx_count_distinct(col(name)));
    }
    return table
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
        .first();
  }

  private static void requireSupported(StructField field, ColumnKind.Declared declaration) {
    DataType type = field.dataType();
    boolean numeric = type instanceof NumericType;
    boolean text = type instanceof StringType || type instanceof BooleanType;
    boolean declaredNumeric = declaration != null && declaration.kind() != ColumnKind.CATEGORICAL;
    if ((!numeric && !text) || (text && declaredNumeric)) {
      throw new McrageException(
          "Feature column '"
              + field.name()
              + "' has type "
              + type.simpleString()
              + (declaredNumeric
                  ? ", but column-kinds declares it " + declaration.kind().name().toLowerCase()
                  : ", but features must be numbers, text or booleans"),
          "Cast it in the input, declare it categorical, or leave it out of the features setting");
    }
  }

  private static ColumnKind kind(
      StructField field, ColumnKind.Declared declaration, Row stats, int offset) {
    if (declaration != null) {
      return declaration.kind();
    }
    if (!(field.dataType() instanceof NumericType)) {
      return ColumnKind.CATEGORICAL;
    }
    boolean whole = isIntegralType(field.dataType()) || stats.getLong(offset + 4) == 0;
    if (whole && stats.getLong(offset + 7) <= SMALL_CARDINALITY) {
      return ColumnKind.CATEGORICAL;
    }
    return whole ? ColumnKind.INTEGER : ColumnKind.CONTINUOUS;
  }

  private static String identifierReason(
      StructField field, ColumnKind kind, ColumnKind.Declared declaration, Row stats, int offset) {
    long values = stats.getLong(offset + 6);
    long distinct = stats.getLong(offset + 7);
    if (kind != ColumnKind.CATEGORICAL || values == 0) {
      return null;
    }
    boolean tooMany = distinct > MAX_LEVELS;
    boolean identifierLike = distinct > 20 && distinct * 2 > values;
    if (!tooMany && !identifierLike) {
      return null;
    }
    if (declaration != null) {
      throw new McrageException(
          "Categorical column '" + field.name() + "' has about " + distinct + " distinct values",
          "A categorical feature may have at most "
              + MAX_LEVELS
              + " levels; bin it, or leave it out of column-kinds and features");
    }
    return "about "
        + distinct
        + " distinct values in "
        + values
        + " rows: looks like an identifier";
  }

  private static Feature feature(
      StructField field,
      ColumnKind kind,
      ColumnKind.Declared declaration,
      Row stats,
      int offset,
      long rows,
      Map<Integer, List<Object>> levels) {
    long values = stats.getLong(offset + 6);
    long nonFinite = stats.isNullAt(offset + 5) ? 0 : stats.getLong(offset + 5);
    if (nonFinite > 0) {
      throw new McrageException(
          "Feature column '" + field.name() + "' has " + nonFinite + " NaN or infinite values",
          "Replace them with nulls (missing) or valid numbers before rebalancing");
    }
    if (values == 0) {
      throw new McrageException(
          "Feature column '" + field.name() + "' has no values (every row is null)",
          "Drop it from the features setting");
    }

    boolean nullable = values < rows;
    if (kind == ColumnKind.CATEGORICAL) {
      return categorical(field, nullable, levels);
    }
    double std = stats.getDouble(offset + 1);
    double lower = declaredOr(declaration, true, kind, stats.getDouble(offset + 2));
    double upper = declaredOr(declaration, false, kind, stats.getDouble(offset + 3));
    if (kind == ColumnKind.INTEGER) {
      lower = Math.ceil(lower);
      upper = Math.floor(upper);
    }
    return new Feature(
        field.name(),
        field.dataType(),
        kind,
        stats.getDouble(offset),
        std > 1e-12 ? std : 1.0,
        lower,
        upper,
        nullable,
        List.of(),
        Map.of());
  }

  private static double declaredOr(
      ColumnKind.Declared declaration, boolean lowerSide, ColumnKind kind, double observed) {
    if (declaration == null) {
      return observed;
    }
    double bound = lowerSide ? declaration.lower() : declaration.upper();
    if (Double.isFinite(bound) || kind == ColumnKind.BOUNDED) {
      return bound;
    }
    return observed;
  }

  private static Feature categorical(
      StructField field, boolean nullable, Map<Integer, List<Object>> seen) {
    List<Object> levels =
        new ArrayList<>(seen.values().stream().flatMap(List::stream).distinct().toList());
    levels.sort(FeatureEncoder::compareLevels);
    Map<Object, Integer> positions = new HashMap<>();
    for (int i = 0; i < levels.size(); i++) {
      positions.put(levels.get(i), i);
    }
    Map<Integer, BitSet> byGroup = new HashMap<>();
    seen.forEach(
        (group, values) -> {
          if (group != ANY_GROUP) {
            BitSet allowed = new BitSet();
            values.forEach(value -> allowed.set(positions.get(value)));
            byGroup.put(group, allowed);
          }
        });
    return new Feature(
        field.name(),
        field.dataType(),
        ColumnKind.CATEGORICAL,
        0,
        1,
        0,
        levels.size() - 1,
        nullable,
        List.copyOf(levels),
        Map.copyOf(byGroup));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareLevels(Object a, Object b) {
    if (a instanceof Comparable && a.getClass().equals(b.getClass())) {
      return ((Comparable) a).compareTo(b);
    }
    return String.valueOf(a).compareTo(String.valueOf(b));
  }

  private static boolean isIntegralType(DataType type) {
    return type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType);
  }

  /** Returns the encoded features, in model order. */
  public List<Feature> features() {
    return features;
  }

  /** Returns the features that are not categorical, in model order. */
  public List<Feature> numericFeatures() {
    return features.stream().filter(feature -> feature.kind() != ColumnKind.CATEGORICAL).toList();
  }

  /** Returns candidate columns left out (identifier-like text), with the reason for each. */
  public Map<String, String> skipped() {
    return skipped;
  }

  /** Returns the number of dimensions of the encoded vector. */
  public int dimension() {
    return dimension;
  }

  /** Returns how many features are of each kind. */
  public Map<ColumnKind, Long> kindCounts() {
    Map<ColumnKind, Long> counts = new EnumMap<>(ColumnKind.class);
    features.forEach(feature -> counts.merge(feature.kind(), 1L, Long::sum));
    return counts;
  }

  /**
   * Returns the encoded features as a Spark expression: an array of {@link #dimension()} floats.
   *
   * @return an {@code array<float>} column
   */
  public Column encodedColumn() {
    List<Column> dimensions = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      Feature feature = features.get(i);
      Column source = col(feature.name());
      if (feature.kind() == ColumnKind.CATEGORICAL) {
        for (Object level : feature.levels()) {
          dimensions.add(when(source.equalTo(lit(level)), 1.0f).otherwise(0.0f));
        }
      } else if (transforms[i] != null) {
        QuantileNormal transform = transforms[i];
        UserDefinedFunction normal =
            udf(
                (UDF1<Double, Double>) v -> v == null ? null : transform.encode(v),
                DataTypes.DoubleType);
        dimensions.add(coalesce(normal.apply(source.cast("double")), lit(0.0)).cast("float"));
      } else {
        Column scaled = source.cast("double").minus(feature.mean()).divide(feature.scale());
        dimensions.add(coalesce(scaled, lit(0.0)).cast("float"));
      }
      if (feature.nullable()) {
        dimensions.add(when(source.isNull(), 1.0f).otherwise(0.0f));
      }
    }
    return org.apache.spark.sql.functions.array(dimensions.toArray(new Column[0]));
  }

  /**
   * Returns a Spark predicate that is true where every feature without a missingness indicator has
   * a value (on the table the encoder was fitted to: every row).
   *
   * @return a boolean column
   */
  public Column complete() {
    Column complete = lit(true);
    for (Feature feature : features) {
      if (!feature.nullable()) {
        complete = complete.and(col(feature.name()).isNotNull());
      }
    }
    return complete;
  }

  /**
   * Maps one generated vector back to column values, allowing every categorical level.
   *
   * @param scaled the model's output
   * @return one value per feature, of the column's Spark type, or null
   */
  public Object[] decode(float[] scaled) {
    return decode(scaled, ANY_GROUP);
  }

  /**
   * Maps one generated vector of a group back to column values: null where the missingness
   * indicator exceeds 0.5, categorical levels restricted to those seen in the group.
   *
   * @param scaled the model's output
   * @param group the group's phi, or {@link #ANY_GROUP}
   * @return one value per feature, of the column's Spark type, or null
   */
  public Object[] decode(float[] scaled, int group) {
    Object[] values = new Object[features.size()];
    for (int i = 0; i < values.length; i++) {
      Feature feature = features.get(i);
      int offset = offsets[i];
      if (feature.nullable() && scaled[offset + feature.width() - 1] > 0.5f) {
        values[i] = null;
      } else if (feature.kind() == ColumnKind.CATEGORICAL) {
        values[i] = decodeLevel(feature, scaled, offset, group);
      } else {
        values[i] = decodeNumber(feature, scaled[offset], transforms[i]);
      }
    }
    return values;
  }

  private static Object decodeLevel(Feature feature, float[] scaled, int offset, int group) {
    BitSet allowed = feature.levelsByGroup().get(group);
    if (allowed == null) {
      allowed = new BitSet();
      allowed.set(0, feature.levels().size());
    }
    int best = -1;
    for (int level = allowed.nextSetBit(0); level >= 0; level = allowed.nextSetBit(level + 1)) {
      if (best < 0 || scaled[offset + level] > scaled[offset + best]) {
        best = level;
      }
    }
    return best < 0 ? null : feature.levels().get(best);
  }

  private static Object decodeNumber(Feature feature, float scaled, QuantileNormal transform) {
    double value =
        transform == null ? scaled * feature.scale() + feature.mean() : transform.decode(scaled);
    value = Math.max(feature.min(), Math.min(feature.max(), value));
    if (feature.integral()) {
      value = Math.rint(value);
    }
    return toType(feature.type(), value);
  }

  private static Object toType(DataType type, double value) {
    if (type.equals(DataTypes.DoubleType)) {
      return value;
    }
    if (type.equals(DataTypes.FloatType)) {
      return (float) value;
    }
    if (type.equals(DataTypes.IntegerType)) {
      return (int) Math.rint(value);
    }
    if (type.equals(DataTypes.LongType)) {
      return (long) Math.rint(value);
    }
    if (type.equals(DataTypes.ShortType)) {
      return (short) Math.rint(value);
    }
    if (type.equals(DataTypes.ByteType)) {
      return (byte) Math.rint(value);
    }
    if (type instanceof DecimalType decimal) {
      return BigDecimal.valueOf(value).setScale(decimal.scale(), RoundingMode.HALF_EVEN);
    }
    throw new IllegalStateException("Unsupported feature type " + type);
  }
}
