package org.mcrage.groups;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.config.McrageException;

/**
 * The intersectional group index phi: a mixed-radix bijection between (label, s1, ..., sL) and
 * {@code 0 .. size()-1}, with its exact inverse.
 *
 * <p>The label is the most significant digit and the last demographic attribute the least: with
 * level indices d0 (label), d1 .. dL and level counts n0 .. nL, phi = ((d0 * n1 + d1) * n2 + d2)
 * ... . Levels of each column are its distinct non-null values in their natural order (numbers
 * numerically, text lexicographically), so the same table always gets the same index.
 */
public final class GroupIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The explicit level of rows with a null in a group column, under {@code
   * groups.null-policy=level}: always the last level of its column, shown as {@code missing}.
   * Synthetic rows of such a group get a null in that column, as their real rows have.
   */
  public enum Missing {
    /** The one missing level. */
    LEVEL;

    @Override
    public String toString() {
      return "missing";
    }
  }

  /** Most levels one column may have before it is treated as a mistake (not categorical). */
  public static final int MAX_LEVELS = 256;

  private final List<String> columns;
  private final List<List<Object>> levels;
  private final int size;

  /**
   * Creates an index over known levels.
   *
   * @param columns the label column then the demographic columns
   * @param levels each column's ordered, distinct levels
   */
  public GroupIndex(List<String> columns, List<List<Object>> levels) {
    if (columns.isEmpty() || columns.size() != levels.size()) {
      throw new IllegalArgumentException("Need one level list per column: " + columns);
    }
    this.columns = List.copyOf(columns);
    List<List<Object>> copies = new ArrayList<>();
    long product = 1;
    for (List<Object> columnLevels : levels) {
      if (columnLevels.isEmpty()) {
        throw new IllegalArgumentException("A column of the group index has no levels");
      }
      copies.add(List.copyOf(columnLevels));
      product *= columnLevels.size();
    }
    if (product > 1_000_000) {
      throw new McrageException(
          "Too many intersectional groups: " + product + " for columns " + columns,
          "Use fewer demographic attributes or merge their levels");
    }
    this.levels = List.copyOf(copies);
    this.size = (int) product;
  }

  /**
   * Fits an index to a table's distinct values, with one small aggregation per column.
   *
   * @param table the input table
   * @param label the label column
   * @param demographics the demographic columns
   * @return the index
   */
  public static GroupIndex fit(Dataset<Row> table, String label, List<String> demographics) {
    return fit(table, label, demographics, List.of());
  }

  /**
   * Fits an index, adding the {@link Missing#LEVEL} to the named columns.
   *
   * @param table the input table
   * @param label the label column
   * @param demographics the demographic columns
   * @param withMissingLevel the columns (among label and demographics) that get a missing level
   * @return the index
   */
  public static GroupIndex fit(
      Dataset<Row> table, String label, List<String> demographics, List<String> withMissingLevel) {
    List<String> columns = new ArrayList<>();
    columns.add(label);
    columns.addAll(demographics);

    List<List<Object>> levels = new ArrayList<>();
    for (String column : columns) {
      List<Object> columnLevels = distinctLevels(table, column);
      if (withMissingLevel.contains(column)) {
        columnLevels.add(Missing.LEVEL);
      }
      levels.add(columnLevels);
    }
    return new GroupIndex(columns, levels);
  }

  /**
   * Returns a level as the column value of a row: null for the missing level.
   *
   * @param level a level
   * @return the value
   */
  public static Object columnValue(Object level) {
    return level == Missing.LEVEL ? null : level;
  }

  private static List<Object> distinctLevels(Dataset<Row> table, String column) {
    List<Row> rows =
        table
            .select(col(column))
            .where(col(column).isNotNull())
            .distinct()
            .limit(MAX_LEVELS + 1)
            .collectAsList();
    if (rows.size() > MAX_LEVELS) {
      throw new McrageException(
          "Column '" + column + "' has more than " + MAX_LEVELS + " distinct values",
          "The label and demographic columns must be categorical; bin it first (e.g. an age band)");
    }

    List<Object> values = new ArrayList<>();
    for (Row row : rows) {
      values.add(row.get(0));
    }
    values.sort(LEVEL_ORDER);
    return values;
  }

  /** Natural order for values of one comparable type, text order otherwise. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Comparator<Object> LEVEL_ORDER =
      (a, b) -> {
        if (a instanceof Comparable && a.getClass().equals(b.getClass())) {
          return ((Comparable) a).compareTo(b);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
      };

  /** Returns the number of groups, the product of the level counts. */
  public int size() {
    return size;
  }

  /** Returns the label column then the demographic columns. */
  public List<String> columns() {
    return columns;
  }

  /** Returns each column's ordered levels. */
  public List<List<Object>> levels() {
    return levels;
  }

  /**
   * Maps level indices (one per column) to phi.
   *
   * @param digits level index of each column, in column order
   * @return phi
   */
  public int phi(int... digits) {
    if (digits.length != levels.size()) {
      throw new IllegalArgumentException(
          "Expected " + levels.size() + " level indices, got " + digits.length);
    }
    int phi = 0;
    for (int i = 0; i < digits.length; i++) {
      int radix = levels.get(i).size();
      if (digits[i] < 0 || digits[i] >= radix) {
        throw new IllegalArgumentException(
            "Level index " + digits[i] + " out of range for " + columns.get(i));
      }
      phi = phi * radix + digits[i];
    }
    return phi;
  }

  /**
   * Maps phi back to its level indices, one per column: the exact inverse of {@link #phi}.
   *
   * @param phi a group index in {@code [0, size())}
   * @return level index of each column
   */
  public int[] digits(int phi) {
    if (phi < 0 || phi >= size) {
      throw new IllegalArgumentException("phi " + phi + " out of range [0, " + size + ")");
    }
    int[] digits = new int[levels.size()];
    int rest = phi;
    for (int i = levels.size() - 1; i >= 0; i--) {
      int radix = levels.get(i).size();
      digits[i] = rest % radix;
      rest /= radix;
    }
    return digits;
  }

  /**
   * Returns the column values of a group.
   *
   * @param phi a group index
   * @return the value of each column (label first), as read from the table
   */
  public List<Object> values(int phi) {
    int[] digits = digits(phi);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < digits.length; i++) {
      values.add(levels.get(i).get(digits[i]));
    }
    return values;
  }

  /**
   * Describes a group as {@code column=value} pairs, e.g. {@code SOURCE=in, SEX=F}.
   *
   * @param phi a group index
   * @return the description
   */
  public String describe(int phi) {
    List<Object> values = values(phi);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(columns.get(i)).append('=').append(values.get(i));
    }
    return text.toString();
  }

  /**
   * Returns phi as a Spark expression over the table's columns; null where any column is null or
   * holds a value not among the levels.
   *
   * @return an INT column expression
   */
  public Column phiColumn() {
    Column phi = lit(0);
    for (int i = 0; i < columns.size(); i++) {
      phi = phi.multiply(levels.get(i).size()).plus(digitColumn(i));
    }
    return phi.cast("int");
  }

  private Column digitColumn(int column) {
    Column source = col(columns.get(column));
    List<Object> columnLevels = levels.get(column);
    Column digit = when(matches(source, columnLevels.get(0)), lit(0));
    for (int level = 1; level < columnLevels.size(); level++) {
      digit = digit.when(matches(source, columnLevels.get(level)), lit(level));
    }
    return digit;
  }

  private static Column matches(Column source, Object level) {
    return level == Missing.LEVEL ? source.isNull() : source.equalTo(lit(level));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GroupIndex
        && columns.equals(((GroupIndex) other).columns)
        && levels.equals(((GroupIndex) other).levels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(columns, levels);
  }
}
