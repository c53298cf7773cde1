package org.mcrage.groups;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.config.McrageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The count of real rows in every intersectional group, the target (the largest group) and what the
 * job does about each group.
 */
public final class GroupTable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupTable.class);

  /** What the job does about one group. */
  public enum Action {
    /** The largest group: it sets the target and gets no synthetic rows. */
    TARGET,
    /** Filled with synthetic rows up to the target. */
    FILL,
    /** No real rows: there is nothing to learn it from, so it stays empty. */
    EMPTY,
    /** Below the minimum size and left unfilled by policy. */
    SKIP_SMALL,
    /** Below the minimum size but filled anyway by policy (with a warning). */
    FILL_SMALL,
    /** Already at or above its fill target ({@code groups.fill}): no synthetic rows. */
    AT_TARGET,
    /** Filled, but fewer rows than its target: capped by {@code groups.max-synthetic-per-real}. */
    FILL_CAPPED
  }

  /**
   * One group's row of the table.
   *
   * @param phi the group index
   * @param values the label and demographic values
   * @param count real rows
   * @param deficit synthetic rows to generate
   * @param action what the job does about it
   */
  public record Group(int phi, List<Object> values, long count, long deficit, Action action) {}

  private final GroupIndex index;
  private final List<Group> groups;
  private final long target;
  private final FillPolicy fill;

  private GroupTable(GroupIndex index, List<Group> groups, long target, FillPolicy fill) {
    this.index = index;
    this.groups = List.copyOf(groups);
    this.target = target;
    this.fill = fill;
  }

  /**
   * Counts each group with one {@code groupBy} and decides every group's deficit.
   *
   * @param indexed the table with a phi column
   * @param phiColumn the name of the phi column
   * @param index the group index
   * @param minSize the smallest group the model may learn from
   * @param policy {@code error}, {@code warn} or {@code skip} for groups below minSize
   * @return the table
   */
  public static GroupTable count(
      Dataset<Row> indexed, String phiColumn, GroupIndex index, int minSize, String policy) {
    return count(indexed, phiColumn, index, minSize, policy, FillPolicy.MAJORITY);
  }

  /**
   * Counts each group with one {@code groupBy} and decides every group's deficit by a fill policy.
   *
   * @param indexed the table with a phi column
   * @param phiColumn the name of the phi column
   * @param index the group index
   * @param minSize the smallest group the model may learn from
   * @param policy {@code error}, {@code warn} or {@code skip} for groups below minSize
   * @param fill the fill targets and cap
   * @return the table
   */
  public static GroupTable count(
      Dataset<Row> indexed,
      String phiColumn,
      GroupIndex index,
      int minSize,
      String policy,
      FillPolicy fill) {
    Map<Integer, Long> counts = new LinkedHashMap<>();
    for (Row row :
        indexed.where(col(phiColumn).isNotNull()).groupBy(phiColumn).count().collectAsList()) {
      counts.put(row.getInt(0), row.getLong(1));
    }
    return fromCounts(index, counts, minSize, policy, fill);
  }

  /**
   * Fits the group index and counts every group in one aggregation over the raw columns.
   *
   * <p>One {@code groupBy} over the label and demographic columns yields every combination present
   * and its count; the levels of each column are the distinct non-null values among them, so no
   * further pass over the table is needed. Rows with a null in any of these columns belong to no
   * group; their number is logged.
   *
   * @param rows the input table
   * @param label the label column
   * @param demographics the demographic columns
   * @param minSize the smallest group the model may learn from
   * @param policy {@code error}, {@code warn} or {@code skip} for groups below minSize
   * @return the table, with its index
   */
  public static GroupTable fitAndCount(
      Dataset<Row> rows, String label, List<String> demographics, int minSize, String policy) {
    return fitAndCount(rows, label, demographics, minSize, policy, "exclude", FillPolicy.MAJORITY);
  }

  /**
   * Fits the group index and counts every group in one aggregation, with a null policy and a fill
   * policy.
   *
   * @param rows the input rows
   * @param label the label column
   * @param demographics the demographic columns
   * @param minSize the smallest group the model may learn from
   * @param policy {@code error}, {@code warn} or {@code skip} for groups below minSize
   * @param nullPolicy {@code exclude} (rows with a null label or demographic belong to no group) or
   *     {@code level} (a null is the explicit {@link GroupIndex.Missing#LEVEL})
   * @param fill the fill targets and cap
   * @return the table
   */
  public static GroupTable fitAndCount(
      Dataset<Row> rows,
      String label,
      List<String> demographics,
      int minSize,
      String policy,
      String nullPolicy,
      FillPolicy fill) {
    List<String> columns = new ArrayList<>();
    columns.add(label);
    columns.addAll(demographics);
    List<Row> combinations =
        ParquetGroupCounter.count(rows, columns).orElseGet(() -> combinationsOf(rows, columns));
    if (combinations.size() > MAX_COMBINATIONS) {
      throw new McrageException(
          "The columns " + columns + " have more than " + MAX_COMBINATIONS + " combinations",
          "The label and demographic columns must be categorical; bin continuous ones first");
    }

    List<List<Object>> levels = new ArrayList<>();
    for (List<Object> columnLevels : levelsOf(combinations, columns)) {
      levels.add(new ArrayList<>(columnLevels));
    }
    for (int i = 0; "level".equals(nullPolicy) && i < columns.size(); i++) {
      final int column = i;
      if (combinations.stream().anyMatch(combination -> combination.isNullAt(column))) {
        levels.get(i).add(GroupIndex.Missing.LEVEL);
      }
    }
    GroupIndex index = new GroupIndex(columns, levels);
    Map<Integer, Long> counts = new LinkedHashMap<>();
    long withoutGroup = 0;
    long inMissingLevel = 0;
    for (Row combination : combinations) {
      long count = combination.getLong(columns.size());
      if (hasNull(combination, columns.size())) {
        if (!"level".equals(nullPolicy)) {
          withoutGroup += count;
          continue;
        }
        inMissingLevel += count;
      }
      int[] digits = new int[columns.size()];
      for (int i = 0; i < digits.length; i++) {
        Object value = combination.isNullAt(i) ? GroupIndex.Missing.LEVEL : combination.get(i);
        digits[i] = index.levels().get(i).indexOf(value);
      }
      counts.merge(index.phi(digits), count, Long::sum);
    }
    if (withoutGroup > 0) {
      LOG.warn(
          "{} rows have a null in {} and belong to no group (groups.null-policy=exclude)",
          withoutGroup,
          columns);
    }
    if (inMissingLevel > 0) {
      LOG.warn(
          "{} rows have a null in {}: level 'missing' (groups.null-policy=level)",
          inMissingLevel,
          columns);
    }
    return fromCounts(index, counts, minSize, policy, fill);
  }

  /**
   * Counts every combination with one {@code groupBy}: the general path, for any table that {@link
   * ParquetGroupCounter} cannot read from its files.
   */
  private static List<Row> combinationsOf(Dataset<Row> rows, List<String> columns) {
    // The limit guards the driver against a continuous column; it costs nothing with adaptive
    // execution (on here and by default since Spark 3.2), which drops it once the shuffle shows
    // fewer rows. What remains is Spark decoding each string and hashing it into the
    // aggregation: about three times the CPU of a count that reads the same columns (bench
    // groups).
    return rows.groupBy(
            columns.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .count()
        .limit(MAX_COMBINATIONS + 1)
        .collectAsList();
  }

  /** Most label and demographic combinations one table may have. */
  public static final int MAX_COMBINATIONS = 100_000;

  private static List<List<Object>> levelsOf(List<Row> combinations, List<String> columns) {
    List<List<Object>> levels = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      java.util.Set<Object> distinct = new java.util.HashSet<>();
      for (Row combination : combinations) {
        if (!combination.isNullAt(i)) {
          distinct.add(combination.get(i));
        }
      }
      if (distinct.isEmpty()) {
        throw new McrageException(
            "Column '" + columns.get(i) + "' has no values (every row is null)",
            "Check the label and demographics settings");
      }
      if (distinct.size() > GroupIndex.MAX_LEVELS) {
        throw new McrageException(
            "Column '"
                + columns.get(i)
                + "' has "
                + distinct.size()
                + " distinct values, more"
                + " than "
                + GroupIndex.MAX_LEVELS,
            "The label and demographic columns must be categorical; bin it first (e.g. an age"
                + " band)");
      }
      List<Object> sorted = new ArrayList<>(distinct);
      sorted.sort(GroupIndex.LEVEL_ORDER);
      levels.add(sorted);
    }
    return levels;
  }

  private static boolean hasNull(Row row, int columns) {
    for (int i = 0; i < columns; i++) {
      if (row.isNullAt(i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Builds the table from known counts.
   *
   * @param index the group index
   * @param counts real rows by phi; absent groups have none
   * @param minSize the smallest group the model may learn from
   * @param policy {@code error}, {@code warn} or {@code skip} for groups below minSize
   * @return the table
   */
  public static GroupTable fromCounts(
      GroupIndex index, Map<Integer, Long> counts, int minSize, String policy) {
    return fromCounts(index, counts, minSize, policy, FillPolicy.MAJORITY);
  }

  /**
   * Builds the table from known counts with a fill policy.
   *
   * @param index the group index
   * @param counts real rows by phi; absent groups have none
   * @param minSize the smallest group the model may learn from
   * @param policy {@code error}, {@code warn} or {@code skip} for groups below minSize
   * @param fill the fill targets and cap
   * @return the table
   */
  public static GroupTable fromCounts(
      GroupIndex index, Map<Integer, Long> counts, int minSize, String policy, FillPolicy fill) {
    long target = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    if (target == 0) {
      throw new McrageException(
          "No row has a value in every one of the columns " + index.columns(),
          "Check that the label and demographic columns are filled in");
    }

    if (fill.scope() == FillPolicy.Scope.DEMOGRAPHIC && index.columns().size() < 2) {
      throw new McrageException(
          "Setting 'groups.fill' is 'demographic' but the groups have no demographic column"
              + " (columns: "
              + index.columns()
              + "), so it would fill nothing",
          "Set 'demographics' to the columns to rebalance, or 'groups.fill' to majority or label");
    }
    checkSmallGroups(index, counts, minSize, policy);
    List<Group> groups = new ArrayList<>();
    boolean targetTaken = false;
    long[] labelLargest = largestByLabel(index, counts);
    Map<List<Integer>, Long> demographicTotals = demographicTotals(index, counts);
    long largestTotal =
        demographicTotals.values().stream().mapToLong(Long::longValue).max().orElse(0);
    for (int phi = 0; phi < index.size(); phi++) {
      long count = counts.getOrDefault(phi, 0L);
      long largest =
          switch (fill.scope()) {
            case LABEL -> labelLargest[index.digits(phi)[0]];
            case DEMOGRAPHIC ->
                (long)
                    Math.ceil(
                        (double) count
                            * largestTotal
                            / Math.max(1L, demographicTotals.get(demographics(index, phi))));
            case ALL -> target;
          };
      long wanted = fill.target(phi, count, largest) - count;
      long deficit = Math.min(wanted, fill.cap(count));
      Action action = decide(count, target, minSize, policy, targetTaken, deficit < wanted);
      action =
          deficit == 0 && action != Action.TARGET && isFill(action) ? Action.AT_TARGET : action;
      targetTaken |= action == Action.TARGET;
      groups.add(new Group(phi, index.values(phi), count, isFill(action) ? deficit : 0, action));
    }
    return new GroupTable(index, groups, target, fill);
  }

  /** Returns the real rows of the largest group of each label level (the index's first column). */
  private static long[] largestByLabel(GroupIndex index, Map<Integer, Long> counts) {
    long[] largest = new long[index.levels().get(0).size()];
    counts.forEach(
        (phi, count) -> {
          int label = index.digits(phi)[0];
          largest[label] = Math.max(largest[label], count);
        });
    return largest;
  }

  /** Returns the real rows of each demographic combination (the digits after the label). */
  private static Map<List<Integer>, Long> demographicTotals(
      GroupIndex index, Map<Integer, Long> counts) {
    Map<List<Integer>, Long> totals = new HashMap<>();
    for (int phi = 0; phi < index.size(); phi++) {
      totals.merge(demographics(index, phi), counts.getOrDefault(phi, 0L), Long::sum);
    }
    return totals;
  }

  private static List<Integer> demographics(GroupIndex index, int phi) {
    int[] digits = index.digits(phi);
    return Arrays.stream(digits, 1, digits.length).boxed().toList();
  }

  private static boolean isFill(Action action) {
    return action == Action.FILL || action == Action.FILL_SMALL || action == Action.FILL_CAPPED;
  }

  private static Action decide(
      long count, long target, int minSize, String policy, boolean targetTaken, boolean capped) {
    if (count == 0) {
      return Action.EMPTY;
    }
    if (count == target && !targetTaken) {
      return Action.TARGET;
    }
    if (count < minSize) {
      return "skip".equals(policy) ? Action.SKIP_SMALL : Action.FILL_SMALL;
    }
    return capped ? Action.FILL_CAPPED : Action.FILL;
  }

  private static void checkSmallGroups(
      GroupIndex index, Map<Integer, Long> counts, int minSize, String policy) {
    List<String> small = new ArrayList<>();
    counts.forEach(
        (phi, count) -> {
          if (count > 0 && count < minSize) {
            small.add(index.describe(phi) + " (" + count + " rows)");
          }
        });
    if (small.isEmpty()) {
      return;
    }

    if ("error".equals(policy)) {
      throw new McrageException(
          "Groups below groups.min-size=" + minSize + ": " + String.join("; ", small),
          "Lower groups.min-size, or set groups.small-group-policy to skip (leave them unfilled)"
              + " or warn (fill them anyway)");
    }
    LOG.warn(
        "{} group(s) below groups.min-size={} ({}): {}",
        small.size(),
        minSize,
        "warn".equals(policy) ? "filled anyway" : "left unfilled",
        String.join("; ", small));
  }

  /** Returns the group index the table was counted with. */
  public GroupIndex index() {
    return index;
  }

  /** Returns every group, in phi order, empty ones included. */
  public List<Group> groups() {
    return groups;
  }

  /** Returns the fill policy the deficits were decided by. */
  public FillPolicy fill() {
    return fill;
  }

  /** Returns the target: the real row count of the largest group. */
  public long target() {
    return target;
  }

  /** Returns the real rows that have a group. */
  public long realRows() {
    return groups.stream().mapToLong(Group::count).sum();
  }

  /** Returns the synthetic rows to generate, over all groups. */
  public long totalDeficit() {
    return groups.stream().mapToLong(Group::deficit).sum();
  }

  /** Returns the groups that get synthetic rows. */
  public List<Group> groupsToFill() {
    return groups.stream().filter(group -> group.deficit() > 0).toList();
  }

  /** Returns the groups that have no real rows. */
  public List<Group> emptyGroups() {
    return groups.stream().filter(group -> group.action() == Action.EMPTY).toList();
  }

  /**
   * Renders the table as aligned text: phi, the values, count, deficit and action.
   *
   * @return the text, one line per group after a header
   */
  public String render() {
    List<String[]> lines = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("phi"));
    header.addAll(index.columns());
    header.addAll(List.of("count", "deficit", "action"));
    lines.add(header.toArray(new String[0]));
    for (Group group : groups) {
      List<String> cells = new ArrayList<>(List.of(Integer.toString(group.phi())));
      group.values().forEach(value -> cells.add(String.valueOf(value)));
      cells.add(Long.toString(group.count()));
      cells.add(Long.toString(group.deficit()));
      cells.add(group.action().name().toLowerCase(Locale.ROOT));
      lines.add(cells.toArray(new String[0]));
    }
    return align(lines);
  }

  private static String align(List<String[]> lines) {
    int[] widths = new int[lines.get(0).length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }

    StringBuilder text = new StringBuilder();
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        text.append(String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", line[i]));
      }
      text.setLength(text.length() - 2);
      text.append(System.lineSeparator());
    }
    return text.toString();
  }

  /** Returns the table as plain maps and lists, for the run manifest. */
  public List<Map<String, Object>> toRecords() {
    List<Map<String, Object>> records = new ArrayList<>();
    for (Group group : groups) {
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("phi", group.phi());
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < group.values().size(); i++) {
        values.put(index.columns().get(i), String.valueOf(group.values().get(i)));
      }
      record.put("values", values);
      record.put("count", group.count());
      record.put("deficit", group.deficit());
      record.put("action", group.action().name().toLowerCase(Locale.ROOT));
      records.add(record);
    }
    return records;
  }
}
