package org.mcrage.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.mcrage.testing.SparkTestSession;

class GroupIndexTest {

  @Test
  void phiIsABijectionWithExactInverseOnRandomLattices() {
    Random random = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      int columns = 1 + random.nextInt(5);
      List<String> names = new ArrayList<>();
      List<List<Object>> levels = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        names.add("c" + c);
        List<Object> columnLevels = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int l = 0; l < count; l++) {
          columnLevels.add("v" + l);
        }
        levels.add(columnLevels);
      }
      GroupIndex index = new GroupIndex(names, levels);

      Set<Integer> seen = new HashSet<>();
      for (int phi = 0; phi < index.size(); phi++) {
        int[] digits = index.digits(phi);
        assertThat(index.phi(digits)).isEqualTo(phi);
        for (int c = 0; c < columns; c++) {
          assertThat(digits[c]).isBetween(0, levels.get(c).size() - 1);
        }
        seen.add(java.util.Arrays.hashCode(digits));
      }
      long product = levels.stream().mapToLong(List::size).reduce(1, (a, b) -> a * b);
      assertThat(index.size()).isEqualTo(product);
      assertThat(seen).hasSize(index.size());
    }
  }

  @Test
  void labelIsTheMostSignificantDigit() {
    GroupIndex index =
        new GroupIndex(
            List.of("label", "sex", "race"),
            List.of(List.of("in", "out"), List.of("F", "M"), List.of("a", "b", "c")));

    assertThat(index.phi(1, 0, 0)).isEqualTo(6);
    assertThat(index.phi(0, 1, 2)).isEqualTo(5);
    assertThat(index.values(6)).containsExactly("out", "F", "a");
    assertThat(index.describe(5)).isEqualTo("label=in, sex=M, race=c");
  }

  @Test
  void sparkExpressionAgreesWithTheJavaIndexAndLevelsAreOrderedDeterministically() {
    SparkSession spark = SparkTestSession.get();
    StructType schema =
        new StructType()
            .add("y", DataTypes.StringType)
            .add("sex", DataTypes.StringType)
            .add("band", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      rows.add(
          RowFactory.create(
              random.nextBoolean() ? "pos" : "neg",
              random.nextInt(3) == 0 ? "F" : "M",
              random.nextInt(4) * 10));
    }
    rows.add(RowFactory.create(null, "F", 10));
    Dataset<Row> table = spark.createDataFrame(rows, schema);

    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex", "band"));
    List<Row> indexed = table.withColumn("phi", index.phiColumn()).collectAsList();

    assertThat(index.levels())
        .containsExactly(List.of("neg", "pos"), List.of("F", "M"), List.of(0, 10, 20, 30));
    for (Row row : indexed) {
      if (row.isNullAt(0)) {
        assertThat(row.isNullAt(3)).isTrue();
        continue;
      }
      int expected =
          index.phi(
              index.levels().get(0).indexOf(row.get(0)),
              index.levels().get(1).indexOf(row.get(1)),
              index.levels().get(2).indexOf(row.get(2)));
      assertThat(row.getInt(3)).isEqualTo(expected);
    }
  }

  @Test
  void outOfRangeIndicesAreRejected() {
    GroupIndex index = new GroupIndex(List.of("y"), List.of(List.of("a", "b")));

    assertThatThrownBy(() -> index.digits(2)).hasMessageContaining("phi 2 out of range");
    assertThatThrownBy(() -> index.phi(3)).hasMessageContaining("out of range for y");
  }
}
