package org.mcrage.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.mcrage.config.JobConfig;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.io.LineageColumns;
import org.mcrage.testing.SparkTestSession;

/** A table with every column kind and nulls, rebalanced over diagnosis x sex. */
class RichTableRebalanceTest {

  @Test
  void everyColumnKindIsGeneratedWithinTheGroupsRealValues() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> input = new EhrTableGenerator(spark, 11).generateRich(1200, 2).cache();
    JobConfig config =
        JobConfig.of(
            Map.of(
                "label", "diagnosis",
                "demographics", "sex",
                "column-kinds", "creatinine:bounded[0,]",
                "model.epochs", "100",
                "model.batch-size", "64",
                "model.hidden-width", "32",
                "model.guidance-weight", "1.0",
                "seed", "5"));

    double other = input.where(col("race").equalTo("Other")).count() / 1200.0;
    assertThat(other).as("share of race=Other in the generated table").isBetween(0.06, 0.14);

    Rebalancer.Rebalanced rebalanced = new Rebalancer(spark, config, "rich").rebalance(input);
    Dataset<Row> synthetic = rebalanced.synthetic();
    Dataset<Row> real = rebalanced.real();

    List<String> expected = new ArrayList<>(List.of(input.columns()));
    expected.addAll(LineageColumns.ALL);
    assertThat(rebalanced.all().schema().fieldNames()).containsExactlyElementsOf(expected);
    assertThat(rebalanced.roles().carried()).containsExactly("encounter_id");
    assertThat(synthetic.count()).isEqualTo(rebalanced.groups().totalDeficit()).isPositive();
    assertThat(synthetic.where(col("encounter_id").isNotNull()).count()).isZero();

    Map<Integer, List<String>> realSmoking = new HashMap<>();
    for (Row row : real.groupBy(LineageColumns.GROUP).agg(collect_set("smoking")).collectAsList()) {
      realSmoking.put(row.getInt(0), row.getList(1));
    }
    for (Row row : synthetic.select(LineageColumns.GROUP, "smoking").collectAsList()) {
      assertThat(realSmoking.get(row.getInt(0))).contains(row.getString(1));
    }

    Row realRange = real.agg(min("age"), max("age"), min("visits"), max("visits")).first();
    Row range =
        synthetic
            .agg(min("age"), max("age"), min("visits"), max("visits"), min("creatinine"))
            .first();
    assertThat(synthetic.schema().apply("age").dataType().simpleString()).isEqualTo("int");
    assertThat(range.getInt(0)).isGreaterThanOrEqualTo(realRange.getInt(0));
    assertThat(range.getInt(1)).isLessThanOrEqualTo(realRange.getInt(1));
    assertThat(range.getInt(2)).isGreaterThanOrEqualTo(realRange.getInt(2));
    assertThat(range.getInt(3)).isLessThanOrEqualTo(realRange.getInt(3));
    assertThat(range.getDouble(4)).isGreaterThanOrEqualTo(0.0);

    Map<Integer, Double> realRates = nullRates(real, 1);
    Map<Integer, Double> syntheticRates = nullRates(synthetic, 60);
    assertThat(realRates.values()).anyMatch(rate -> rate < 0.12).anyMatch(rate -> rate > 0.2);
    for (Map.Entry<Integer, Double> entry : syntheticRates.entrySet()) {
      assertThat(entry.getValue())
          .as("hba1c null rate of group %s", entry.getKey())
          .isCloseTo(realRates.get(entry.getKey()), org.assertj.core.data.Offset.offset(0.15));
    }
    synthetic.unpersist();
  }

  private static Map<Integer, Double> nullRates(Dataset<Row> rows, long minRows) {
    Map<Integer, Double> rates = new HashMap<>();
    for (Row row :
        rows.groupBy(LineageColumns.GROUP)
            .agg(sum(when(col("hba1c").isNull(), 1).otherwise(0)), count("*"))
            .where(col("count(1)").geq(minRows))
            .collectAsList()) {
      rates.put(row.getInt(0), row.getLong(1) / (double) row.getLong(2));
    }
    return rates;
  }
}
