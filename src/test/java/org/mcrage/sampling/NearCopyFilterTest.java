package org.mcrage.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.mcrage.encoding.FeatureEncoder;
import org.mcrage.testing.SparkTestSession;

class NearCopyFilterTest {

  @Test
  void dropsAndCountsCopiesAndNearCopiesOfTheGroupsRealRows() {
    SparkSession spark = SparkTestSession.get();
    FeatureEncoder encoder =
        new FeatureEncoder(
            List.of(
                new FeatureEncoder.Feature("a", DataTypes.DoubleType, 10, 2, 0, 20, false),
                new FeatureEncoder.Feature("b", DataTypes.DoubleType, 0, 1, -5, 5, false)));
    // Real rows of group 0 at (10, 0) and (14, 1); standardised (0, 0) and (2, 1).
    Map<Integer, RadiusIndex> real = Map.of(0, RadiusIndex.of(new double[][] {{0, 0}, {2, 1}}));
    StructType schema =
        new StructType()
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType)
            .add("mcrage_group", DataTypes.IntegerType);
    Dataset<Row> synthetic =
        spark.createDataFrame(
            List.of(
                RowFactory.create(10.0, 0.0, 0), // exact copy
                RowFactory.create(14.0, 1.05, 0), // 0.05 from a real row
                RowFactory.create(12.0, 0.5, 0), // about 1.1 from both
                RowFactory.create(10.0, 0.0, 1)), // group 1 has no guarded rows
            schema);
    LongAccumulator dropped = spark.sparkContext().longAccumulator("test-near-copies");
    NearCopyFilter filter =
        new NearCopyFilter(
            JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(real),
            encoder.features(),
            new int[] {0, 1},
            2,
            0.1,
            dropped);

    List<Row> kept = synthetic.filter(filter).collectAsList();

    assertThat(kept).hasSize(2);
    assertThat(kept).extracting(row -> row.getDouble(0)).containsExactly(12.0, 10.0);
    assertThat(dropped.value()).isEqualTo(2L);
  }
}
