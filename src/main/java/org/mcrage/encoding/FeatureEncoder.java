package org.mcrage.encoding;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mcrage.config.McrageException;

/**
 * Scales numeric features for the diffusion model and maps generated values back.
 *
 * <p>Fitted on the input with one aggregation: each feature is standardised by its mean and
 * population standard deviation (a constant column is only centred). Decoding undoes the scaling,
 * clips to the observed range, rounds integer-valued columns (integer types, or decimals whose
 * every observed value is whole) and returns values of the column's own Spark type.
 */
public final class FeatureEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * What the encoder learned about one feature.
   *
   * @param name the column
   * @param type the column's Spark type
   * @param mean the mean of its non-null values
   * @param scale the standard deviation, or 1 for a constant column
   * @param min the smallest observed value
   * @param max the largest observed value
   * @param integral whether every observed value is whole
   */
  public record Feature(
      String name,
      DataType type,
      double mean,
      double scale,
      double min,
      double max,
      boolean integral)
      implements Serializable {}

  private final List<Feature> features;

  /**
   * Creates an encoder from fitted feature statistics.
   *
   * @param features the features, in model order
   */
  public FeatureEncoder(List<Feature> features) {
    this.features = List.copyOf(features);
  }

  /**
   * Fits the encoder with one aggregation over the table.
   *
   * @param table the input table
   * @param featureColumns the numeric feature columns
   * @return the encoder
   * @throws McrageException for a non-numeric column, NaN or infinite values, or a column with no
   *     values
   */
  public static FeatureEncoder fit(Dataset<Row> table, List<String> featureColumns) {
    StructType schema = table.schema();
    List<Column> aggregates = new ArrayList<>();
    for (String name : featureColumns) {
      StructField field = schema.apply(name);
      requireNumeric(field);
      Column value = col(name).cast("double");
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
      aggregates.add(count(value));
    }

    Row stats =
        table
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
            .first();
    List<Feature> features = new ArrayList<>();
    for (int i = 0; i < featureColumns.size(); i++) {
      features.add(feature(schema.apply(featureColumns.get(i)), stats, i * 7));
    }
    return new FeatureEncoder(features);
  }

  private static Feature feature(StructField field, Row stats, int offset) {
    long nonFinite = stats.isNullAt(offset + 5) ? 0 : stats.getLong(offset + 5);
    if (nonFinite > 0) {
      throw new McrageException(
          "Feature column '" + field.name() + "' has " + nonFinite + " NaN or infinite values",
          "Replace them with nulls (missing) or valid numbers before rebalancing");
    }
    if (stats.getLong(offset + 6) == 0) {
      throw new McrageException(
          "Feature column '" + field.name() + "' has no values (every row is null)",
          "Drop it from the features setting");
    }

    double std = stats.getDouble(offset + 1);
    boolean integral = isIntegralType(field.dataType()) || stats.getLong(offset + 4) == 0;
    return new Feature(
        field.name(),
        field.dataType(),
        stats.getDouble(offset),
        std > 1e-12 ? std : 1.0,
        stats.getDouble(offset + 2),
        stats.getDouble(offset + 3),
        integral);
  }

  private static void requireNumeric(StructField field) {
    if (!(field.dataType() instanceof NumericType)) {
      throw new McrageException(
          "Feature column '"
              + field.name()
              + "' has type "
              + field.dataType().simpleString()
              + ", but features must be numeric",
          "Cast it to a number in the input, or leave it out of the features setting");
    }
  }

  private static boolean isIntegralType(DataType type) {
    return type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType);
  }

  /** Returns the fitted features, in model order. */
  public List<Feature> features() {
    return features;
  }

  /** Returns the number of features. */
  public int dimension() {
    return features.size();
  }

  /**
   * Returns the scaled features as a Spark expression: an array of floats, in model order.
   *
   * @return an {@code array<float>} column
   */
  public Column encodedColumn() {
    Column[] scaled = new Column[features.size()];
    for (int i = 0; i < scaled.length; i++) {
      Feature feature = features.get(i);
      scaled[i] =
          col(feature.name())
              .cast("double")
              .minus(feature.mean())
              .divide(feature.scale())
              .cast("float");
    }
    return org.apache.spark.sql.functions.array(scaled);
  }

  /**
   * Returns a Spark predicate that is true where every feature has a value.
   *
   * @return a boolean column
   */
  public Column complete() {
    Column complete = lit(true);
    for (Feature feature : features) {
      complete = complete.and(col(feature.name()).isNotNull());
    }
    return complete;
  }

  /**
   * Maps one generated row back to the original units and types.
   *
   * @param scaled the model's output, in model order
   * @return one value per feature, of the column's Spark type
   */
  public Object[] decode(float[] scaled) {
    Object[] values = new Object[features.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = decode(features.get(i), scaled[i]);
    }
    return values;
  }

  private static Object decode(Feature feature, float scaled) {
    double value = scaled * feature.scale() + feature.mean();
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
      return (int) value;
    }
    if (type.equals(DataTypes.LongType)) {
      return (long) value;
    }
    if (type.equals(DataTypes.ShortType)) {
      return (short) value;
    }
    if (type.equals(DataTypes.ByteType)) {
      return (byte) value;
    }
    if (type instanceof DecimalType decimal) {
      return BigDecimal.valueOf(value).setScale(decimal.scale(), RoundingMode.HALF_EVEN);
    }
    throw new IllegalStateException("Unsupported feature type " + type);
  }
}
