package org.mcrage.encoding;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.mcrage.config.McrageException;
import org.mcrage.testing.SparkTestSession;

class FeatureEncoderTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("age", DataTypes.IntegerType)
          .add("hb", DataTypes.DoubleType)
          .add("platelets", DataTypes.DoubleType)
          .add("note", DataTypes.StringType);

  private Dataset<Row> table() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(RowFactory.create(20 + i, 10.0 + i * 0.1, 100.0 + 2 * i, "x"));
    }
    return SparkTestSession.get().createDataFrame(rows, SCHEMA);
  }

  @Test
  void scalesToZeroMeanUnitVarianceAndDecodesBackToUnitsAndTypes() {
    FeatureEncoder encoder = FeatureEncoder.fit(table(), List.of("age", "hb", "platelets"));
    List<Row> encoded = table().select(encoder.encodedColumn()).collectAsList();

    double sum = 0;
    double squares = 0;
    for (Row row : encoded) {
      float value = row.<Float>getList(0).get(0);
      sum += value;
      squares += value * value;
    }
    assertThat(sum / encoded.size()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(squares / encoded.size()).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-3));

    Object[] decoded = encoder.decode(new float[] {0f, 0f, 0f});
    assertThat(decoded[0]).isInstanceOf(Integer.class).isEqualTo(44);
    assertThat((double) decoded[1]).isCloseTo(12.45, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(encoder.features().get(2).integral()).isTrue();
    assertThat((double) decoded[2] % 1.0).isZero();
  }

  @Test
  void decodingClipsToTheObservedRange() {
    FeatureEncoder encoder = FeatureEncoder.fit(table(), List.of("age", "hb"));

    Object[] high = encoder.decode(new float[] {100f, 100f});
    Object[] low = encoder.decode(new float[] {-100f, -100f});

    assertThat(high).containsExactly(69, 14.9);
    assertThat(low).containsExactly(20, 10.0);
  }

  @Test
  void textFeatureIsRejectedWithTheColumnAndTheFix() {
    assertThatThrownBy(
            () ->
                FeatureEncoder.fit(
                    table(), List.of("age", "note"), ColumnKind.parse("note:integer"), null))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("Feature column 'note' has type string")
        .hasMessageContaining("leave it out of the features setting");
  }

  @Test
  void quantileTransformEncodesOntoANormalAndDecodesInsideTheRange() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Double skewed = i % 10 == 0 ? null : Math.exp(i / 40.0);
      rows.add(RowFactory.create(20 + i % 60, skewed, 100.0 + i, "x"));
    }
    Dataset<Row> table = SparkTestSession.get().createDataFrame(rows, SCHEMA);
    FeatureEncoder encoder =
        FeatureEncoder.fit(table, List.of("age", "hb"), java.util.Map.of(), null, 1000);

    assertThat(encoder.features()).allMatch(FeatureEncoder.Feature::quantileEncoded);
    assertThat(encoder.features().get(0).quantiles()).hasSize(200);
    double sum = 0;
    int values = 0;
    float nullValue = Float.NaN;
    for (Row row : table.select(col("hb"), encoder.encodedColumn()).collectAsList()) {
      List<Float> encoded = row.getList(1);
      assertThat(encoded).hasSize(3);
      if (row.isNullAt(0)) {
        nullValue = encoded.get(1);
        assertThat(encoded.get(2)).isEqualTo(1f);
      } else {
        sum += encoded.get(1);
        values++;
        assertThat(Math.abs(encoded.get(1))).isLessThan(3.2f);
      }
    }
    assertThat(sum / values).isCloseTo(0, org.assertj.core.data.Offset.offset(0.02));
    assertThat(nullValue).isEqualTo(0f);

    Object[] middle = encoder.decode(new float[] {0f, 0f, 0f});
    assertThat(middle[0]).isInstanceOf(Integer.class);
    assertThat((int) middle[0]).isBetween(45, 47); // ages 20-39 four times, 40-79 three
    assertThat((double) middle[1]).isBetween(Math.exp(90 / 40.0), Math.exp(110 / 40.0));
    Object[] high = encoder.decode(new float[] {9f, 9f, 0f});
    assertThat(high).containsExactly(79, Math.exp(199 / 40.0));
    assertThat(encoder.decode(new float[] {0f, 0f, 0.9f})[1]).isNull();
  }
}
