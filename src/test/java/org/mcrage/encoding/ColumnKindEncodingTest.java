package org.mcrage.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.mcrage.testing.SparkTestSession;

class ColumnKindEncodingTest {
  private static final List<String> FEATURES = List.of("id", "smoking", "visits", "lab", "flag");

  private static Dataset<Row> table() {
    StructType schema =
        new StructType()
            .add("phi", DataTypes.IntegerType)
            .add("id", DataTypes.StringType)
            .add("smoking", DataTypes.StringType)
            .add("visits", DataTypes.IntegerType)
            .add("lab", DataTypes.DoubleType)
            .add("flag", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    String[] smoking = {"current", "former", "never"};
    for (int i = 0; i < 40; i++) {
      int phi = i % 2;
      rows.add(
          RowFactory.create(
              phi,
              "P" + i,
              phi == 0 ? "never" : smoking[i % 3],
              i % 9,
              i % 4 == 0 ? null : 1.5 + i * 0.25,
              i % 2));
    }
    return SparkTestSession.get().createDataFrame(rows, schema);
  }

  @Test
  void infersKindsAddsIndicatorsForNullsAndCarriesIdentifiers() {
    FeatureEncoder encoder = FeatureEncoder.fit(table(), FEATURES, Map.of(), "phi");

    assertThat(encoder.skipped()).containsOnlyKeys("id");
    assertThat(encoder.features())
        .extracting(FeatureEncoder.Feature::kind)
        .containsExactly(
            ColumnKind.CATEGORICAL,
            ColumnKind.INTEGER,
            ColumnKind.CONTINUOUS,
            ColumnKind.CATEGORICAL);
    assertThat(encoder.features())
        .extracting(FeatureEncoder.Feature::nullable)
        .containsExactly(false, false, true, false);
    assertThat(encoder.dimension()).isEqualTo(3 + 1 + 2 + 2);
    Row encoded = table().select(encoder.encodedColumn()).first();
    List<Float> first = new ArrayList<>(encoded.getList(0));
    assertThat(first.get(3)).isNegative();
    first.set(3, 0f);
    assertThat(first).containsExactly(0f, 0f, 1f, 0f, 0f, 1f, 1f, 0f);
  }

  @Test
  void decodesLevelsSeenInTheGroupNullsWholeNumbersAndBounds() {
    FeatureEncoder encoder =
        FeatureEncoder.fit(
            table(), FEATURES, ColumnKind.parse("lab:bounded[0,],flag:categorical"), "phi");
    float[] current = {5f, 0f, 1f, 40f, -100f, 0.1f, 0f, 3f};

    Object[] group0 = encoder.decode(current, 0);
    Object[] group1 = encoder.decode(current, 1);
    Object[] missing = encoder.decode(new float[] {0, 0, 1, 0.37f, 0.2f, 0.9f, 1, 0}, 1);

    assertThat(group0[0]).isEqualTo("never");
    assertThat(group1[0]).isEqualTo("current");
    assertThat(group0[1]).isEqualTo(8);
    assertThat(group0[2]).isEqualTo(0.0);
    assertThat(group1[3]).isEqualTo(1);
    assertThat(missing[1]).isInstanceOf(Integer.class);
    assertThat(missing[2]).isNull();
  }
}
