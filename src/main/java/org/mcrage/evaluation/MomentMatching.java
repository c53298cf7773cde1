package org.mcrage.evaluation;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.covar_samp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Moves real rows, group by group, so that their features take the mean (and covariance) of other
 * rows of the same group: the evaluation's {@code oracle_mean} and {@code oracle_shape} controls.
 * Applied to the rows a subsample dropped, with the kept rows as the target, they stand for a
 * generator that knows the population's shape exactly but, like any generator trained on the kept
 * rows, takes each group's mean (and covariance) from them. What those controls recover of the
 * balanced gain shows what the sampling error of those moments alone costs a generator that learns
 * a group from its own rows.
 *
 * <p>Each group's map is affine: {@code x' = mu_target + L_target L_source^-1 (x - mu_source)},
 * with {@code L} the Cholesky factor of the covariance of the rows complete on every feature. Where
 * a side has no more complete rows than features, or a covariance is singular, only the means and
 * standard deviations are matched; a group with fewer than two target rows is left as it is. A
 * missing value stays missing and counts as the mean in the other features' maps. Integer columns
 * are rounded.
 */
public final class MomentMatching {
  private MomentMatching() {}

  /**
   * Returns {@code source} with its features moved to the moments of {@code target}'s rows of the
   * same group; other columns unchanged.
   *
   * @param source the rows to move, with an integer group column
   * @param target the rows whose moments they take, same columns
   * @param group the group column's name
   * @param features the numeric feature columns
   * @param covariance whether to match the covariance too, else only the means
   */
  static Dataset<Row> move(
      Dataset<Row> source,
      Dataset<Row> target,
      String group,
      List<String> features,
      boolean covariance) {
    Map<Integer, Moments> from = Moments.of(source, group, features);
    Map<Integer, Moments> to = Moments.of(target, group, features);
    int width = features.size();
    Map<Integer, double[][]> maps = new HashMap<>();
    for (Map.Entry<Integer, Moments> entry : from.entrySet()) {
      Moments toGroup = to.get(entry.getKey());
      if (toGroup != null && toGroup.rows() >= 2 && entry.getValue().rows() >= 2) {
        maps.put(
            entry.getKey(),
            covariance
                ? linearMap(entry.getValue(), toGroup, width)
                : MatrixUtils.createRealIdentityMatrix(width).getData());
      }
    }
    Map<String, Column> moved = new HashMap<>();
    for (int j = 0; j < width; j++) {
      Column value = column(features.get(j));
      Column expression = null;
      for (Map.Entry<Integer, double[][]> entry : maps.entrySet()) {
        Moments fromGroup = from.get(entry.getKey());
        Moments toGroup = to.get(entry.getKey());
        double[][] map = entry.getValue();
        Column sum = lit(toGroup.mean()[j]);
        for (int k = 0; k < width; k++) {
          if (map[j][k] != 0.0) {
            Column centred = coalesce(column(features.get(k)).minus(fromGroup.mean()[k]), lit(0.0));
            sum = sum.plus(centred.multiply(map[j][k]));
          }
        }
        Column branch = column(group).equalTo(entry.getKey());
        expression = expression == null ? when(branch, sum) : expression.when(branch, sum);
      }
      if (expression == null) {
        continue;
      }
      Column result = when(value.isNull(), lit(null)).otherwise(expression.otherwise(value));
      moved.put(
          features.get(j), castLike(result, source.schema().apply(features.get(j)).dataType()));
    }
    // one projection: every moved feature is computed from the source's values, not from a feature
    // moved before it
    List<Column> columns = new ArrayList<>();
    for (String name : source.columns()) {
      columns.add(moved.containsKey(name) ? moved.get(name).as(name) : column(name));
    }
    return source.select(columns.toArray(Column[]::new));
  }

  /**
   * The matrix {@code L_to L_from^-1} that gives rows with {@code from}'s covariance {@code to}'s,
   * or the diagonal SD ratios where that cannot be formed.
   */
  public static double[][] linearMap(Moments from, Moments to, int width) {
    if (from.rows() > width && to.rows() > width) {
      try {
        RealMatrix target = new CholeskyDecomposition(matrix(to.covariance())).getL();
        RealMatrix source = new CholeskyDecomposition(matrix(from.covariance())).getL();
        return target.multiply(MatrixUtils.inverse(source)).getData();
      } catch (IllegalArgumentException e) {
        // singular covariance (a constant or collinear feature; commons-math signals it with an
        // IllegalArgumentException subclass): fall back to SD ratios
      }
    }
    double[][] diagonal = new double[width][width];
    for (int j = 0; j < width; j++) {
      double sdFrom = Math.sqrt(from.covariance()[j][j]);
      double sdTo = Math.sqrt(to.covariance()[j][j]);
      diagonal[j][j] = sdFrom > 0 && Double.isFinite(sdTo) ? sdTo / sdFrom : 1.0;
    }
    return diagonal;
  }

  /** A column by its name, quoted so that a name with a dot is not read as a struct field. */
  private static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  private static RealMatrix matrix(double[][] values) {
    return new Array2DRowRealMatrix(values, true);
  }

  private static Column castLike(Column value, DataType type) {
    boolean integral =
        type.equals(DataTypes.IntegerType)
            || type.equals(DataTypes.LongType)
            || type.equals(DataTypes.ShortType)
            || type.equals(DataTypes.ByteType)
            || (type instanceof DecimalType decimal && decimal.scale() == 0);
    return (integral ? round(value) : value).cast(type);
  }

  /** One group's row count, means and sample covariance over the rows complete on every feature. */
  public record Moments(long rows, double[] mean, double[][] covariance) {

    /** The moments of rows held in memory (one array per row), over the rows without a NaN. */
    public static Moments of(double[][] rows) {
      double[][] complete =
          Arrays.stream(rows)
              .filter(row -> Arrays.stream(row).noneMatch(Double::isNaN))
              .toArray(double[][]::new);
      int width = rows.length == 0 ? 0 : rows[0].length;
      double[] mean = new double[width];
      for (double[] row : complete) {
        for (int j = 0; j < width; j++) {
          mean[j] += row[j];
        }
      }
      for (int j = 0; j < width; j++) {
        mean[j] /= Math.max(1, complete.length);
      }
      double[][] covariance =
          complete.length < 2
              ? new double[width][width]
              : new Covariance(complete).getCovarianceMatrix().getData();
      return new Moments(complete.length, mean, covariance);
    }

    static Map<Integer, Moments> of(Dataset<Row> rows, String group, List<String> features) {
      int width = features.size();
      Dataset<Row> complete = rows;
      for (String feature : features) {
        complete = complete.where(column(feature).isNotNull());
      }
      List<Column> aggregates = new ArrayList<>();
      for (String feature : features) {
        aggregates.add(avg(column(feature).cast("double")));
      }
      for (int a = 0; a < width; a++) {
        for (int b = a; b < width; b++) {
          aggregates.add(
              covar_samp(
                  column(features.get(a)).cast("double"), column(features.get(b)).cast("double")));
        }
      }
      Map<Integer, Moments> result = new HashMap<>();
      for (Row row :
          complete
              .groupBy(column(group))
              .agg(count(lit(1)), aggregates.toArray(Column[]::new))
              .collectAsList()) {
        if (row.isNullAt(0)) {
          continue;
        }
        long n = row.getLong(1);
        double[] mean = new double[width];
        for (int j = 0; j < width; j++) {
          mean[j] = row.isNullAt(2 + j) ? 0.0 : row.getDouble(2 + j);
        }
        double[][] covariance = new double[width][width];
        int index = 2 + width;
        for (int a = 0; a < width; a++) {
          for (int b = a; b < width; b++) {
            double value = row.isNullAt(index) ? Double.NaN : row.getDouble(index);
            covariance[a][b] = value;
            covariance[b][a] = value;
            index++;
          }
        }
        result.put(((Number) row.get(0)).intValue(), new Moments(n, mean, covariance));
      }
      return result;
    }
  }
}
