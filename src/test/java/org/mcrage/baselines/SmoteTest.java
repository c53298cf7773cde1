package org.mcrage.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.mcrage.config.JobConfig;
import org.mcrage.groups.GroupIndex;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.ColumnRoles;
import org.mcrage.testing.SparkTestSession;

class SmoteTest {
  private final SparkSession spark = SparkTestSession.get();

  /** Groups: (yes, M) 40 rows, (no, M) 20, (yes, F) 3, (no, F) 1. */
  private Dataset<Row> table() {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    addRows(rows, random, "yes", "M", 40, 0);
    addRows(rows, random, "no", "M", 20, 3);
    addRows(rows, random, "yes", "F", 3, 6);
    addRows(rows, random, "no", "F", 1, 9);
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("y", DataTypes.StringType)
            .add("sex", DataTypes.StringType)
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static void addRows(
      List<Row> rows, Random random, String y, String sex, int n, double shift) {
    for (int i = 0; i < n; i++) {
      rows.add(
          RowFactory.create(
              y + sex + i, y, sex, shift + random.nextGaussian(), 10 * random.nextGaussian()));
    }
  }

  private ColumnRoles roles(Dataset<Row> table) {
    return ColumnRoles.resolve(
        table.schema(),
        JobConfig.of(Map.of("label", "y", "demographics", "sex", "features", "a,b")));
  }

  @Test
  void fillsEveryGroupToTheLargestWithPointsBetweenSameGroupNeighbours() {
    Dataset<Row> table = table();
    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex"));

    OversampledRows result = new Smote(5, 7, "t").oversample(table, roles(table), index);
    List<Row> synthetic = result.synthetic().collectAsList();

    Map<Integer, Long> perGroup =
        result.all().groupBy(LineageColumns.GROUP).count().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getInt(0), r -> r.getLong(1)));
    assertThat(perGroup.values()).containsOnly(40L);
    assertThat(synthetic).hasSize(20 + 37 + 39);
    assertThat(synthetic)
        .allSatisfy(
            row -> {
              assertThat(row.<Boolean>getAs(LineageColumns.SYNTHETIC)).isTrue();
              assertThat(row.<String>getAs("id")).isNull();
            });

    double[] scale = {std(table, "a"), std(table, "b")};
    SmoteInterpolator geometry = new SmoteInterpolator(5, scale);
    List<Row> real = table.collectAsList();
    for (Row row : synthetic) {
      double[][] group = groupPoints(real, row.getAs("y"), row.getAs("sex"));
      assertThat(liesOnANeighbourSegment(geometry, group, point(row)))
          .as("synthetic row %s lies between a same-group row and one of its 5 nearest", row)
          .isTrue();
    }
  }

  @Test
  void reportsTheGroupsTooSmallForKNeighbours() {
    Dataset<Row> table = table();
    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex"));

    OversampledRows result = new Smote(5, 7, "t").oversample(table, roles(table), index);

    assertThat(result.notes()).hasSize(2);
    assertThat(result.notes().get(0)).contains("y=no, sex=F").contains("a single row");
    assertThat(result.notes().get(1))
        .contains("y=yes, sex=F")
        .contains("3 rows, fewer than k + 1 = 6")
        .contains("2 neighbours");
  }

  @Test
  void theSameSeedGivesTheSameRows() {
    Dataset<Row> table = table();
    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex"));

    List<String> first = sorted(new Smote(5, 9, "t").oversample(table, roles(table), index));
    List<String> again =
        sorted(new Smote(5, 9, "t").oversample(table.repartition(3), roles(table), index));
    List<String> other = sorted(new Smote(5, 10, "t").oversample(table, roles(table), index));

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void splitsAGroupLargerThanTheExactLimitIntoBlocksAndStillFillsIt() {
    Dataset<Row> table = largerTable();
    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex"));

    OversampledRows result = new Smote(5, 7, "t", 150).oversample(table, roles(table), index);
    List<Row> synthetic = result.synthetic().collectAsList();

    assertThat(result.notes())
        .singleElement()
        .asString()
        .contains("y=no, sex=M")
        .contains("400 rows, more than smote.exact-max-rows = 150")
        .contains("3 spatial blocks");
    Map<String, Long> added =
        synthetic.stream()
            .collect(Collectors.groupingBy(r -> r.<String>getAs("y"), Collectors.counting()));
    assertThat(added).containsOnly(Map.entry("no", 600L));
    double[][] group = groupPoints(table.collectAsList(), "no", "M");
    assertThat(synthetic)
        .allSatisfy(row -> assertThat(onASegmentOfTheGroup(group, point(row))).isTrue());
  }

  @Test
  void blockWiseOutputDoesNotDependOnPartitioning() {
    Dataset<Row> table = largerTable();
    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex"));

    List<String> first = sorted(new Smote(5, 3, "t", 150).oversample(table, roles(table), index));
    List<String> again =
        sorted(new Smote(5, 3, "t", 150).oversample(table.repartition(5), roles(table), index));

    assertThat(again).hasSize(600).isEqualTo(first);
  }

  @Test
  void sharesADeficitInProportionToTheBlocksRows() {
    Map<Long, Long> shares =
        Smote.share(10, new java.util.TreeMap<>(Map.of(1L, 1L, 2L, 1L, 3L, 1L)));

    assertThat(shares).containsExactly(Map.entry(1L, 4L), Map.entry(2L, 3L), Map.entry(3L, 3L));
    assertThat(Smote.share(7, Map.of(5L, 70L, 6L, 0L))).containsEntry(5L, 7L).containsEntry(6L, 0L);
  }

  /** Groups: (yes, M) 1000 rows, (no, M) 400. */
  private Dataset<Row> largerTable() {
    Random random = new Random(8);
    List<Row> rows = new ArrayList<>();
    addRows(rows, random, "yes", "M", 1000, 0);
    addRows(rows, random, "no", "M", 400, 3);
    StructType schema =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("y", DataTypes.StringType)
            .add("sex", DataTypes.StringType)
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static boolean onASegmentOfTheGroup(double[][] group, double[] point) {
    for (double[] from : group) {
      for (double[] to : group) {
        if (from != to && onSegment(from, to, point)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> sorted(OversampledRows rows) {
    return rows.synthetic().collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static boolean liesOnANeighbourSegment(
      SmoteInterpolator geometry, double[][] group, double[] point) {
    for (int base = 0; base < group.length; base++) {
      int[] neighbours = geometry.nearest(group, base);
      if (neighbours.length == 0 && java.util.Arrays.equals(group[base], point)) {
        return true;
      }
      for (int neighbour : neighbours) {
        if (onSegment(group[base], group[neighbour], point)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean onSegment(double[] from, double[] to, double[] point) {
    double[] direction = {to[0] - from[0], to[1] - from[1]};
    double length = direction[0] * direction[0] + direction[1] * direction[1];
    double t = ((point[0] - from[0]) * direction[0] + (point[1] - from[1]) * direction[1]) / length;
    double dx = from[0] + t * direction[0] - point[0];
    double dy = from[1] + t * direction[1] - point[1];
    return t >= -1e-9 && t <= 1 + 1e-9 && Math.hypot(dx, dy) < 1e-9;
  }

  private static double[][] groupPoints(List<Row> real, String y, String sex) {
    return real.stream()
        .filter(r -> r.getAs("y").equals(y) && r.getAs("sex").equals(sex))
        .sorted(java.util.Comparator.comparingDouble((Row r) -> r.getAs("a")))
        .map(SmoteTest::point)
        .toArray(double[][]::new);
  }

  private static double[] point(Row row) {
    return new double[] {row.<Double>getAs("a"), row.<Double>getAs("b")};
  }

  private static double std(Dataset<Row> table, String column) {
    return table.agg(org.apache.spark.sql.functions.stddev_samp(column)).first().getDouble(0);
  }
}
