package org.mcrage.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.cli.Main;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.io.LineageColumns;
import org.mcrage.testing.SparkTestSession;

/**
 * A new table brought the way a user would: a CSV and only a config file written for it (three
 * demographic attributes, one with four levels, and a three-class label).
 */
class RichConfigRebalanceTest {

  @Test
  void configFileAloneRebalancesThreeDemographicsAndAThreeClassLabel(@TempDir Path dir)
      throws Exception {
    SparkSession spark = SparkTestSession.get();
    String csv = dir.resolve("ehr-rich.csv").toString();
    new EhrTableGenerator(spark, 4).generateRich(2000, 1).write().option("header", "true").csv(csv);
    String output = dir.resolve("out").toString();

    int code =
        Main.execute(
            "rebalance",
            "--config",
            "conf/ehr-rich.conf",
            "--input",
            csv,
            "--output",
            output,
            "--run-id",
            "rich",
            "--epochs",
            "3",
            "--set",
            "model.hidden-width=32");

    assertThat(code).isZero();
    Dataset<Row> input =
        spark.read().option("header", "true").option("inferSchema", "true").csv(csv);
    Dataset<Row> written = spark.read().format("delta").load(output);
    List<String> expected = new ArrayList<>(List.of(input.columns()));
    expected.addAll(LineageColumns.ALL);
    assertThat(written.columns()).containsExactlyElementsOf(expected);

    JsonNode manifest =
        new ObjectMapper().readTree(dir.resolve("out/_mcrage/runs/rich/manifest.json").toFile());
    assertThat(manifest.get("groups")).hasSize(3 * 2 * 4 * 3);
    long deficit = 0;
    Set<String> actions = new java.util.HashSet<>();
    for (JsonNode group : manifest.get("groups")) {
      deficit += group.get("deficit").asLong();
      actions.add(group.get("action").asText());
      assertThat(group.get("deficit").asLong())
          .isLessThanOrEqualTo(4 * group.get("count").asLong());
    }
    Dataset<Row> synthetic = written.where(col(LineageColumns.SYNTHETIC));
    assertThat(synthetic.count()).isEqualTo(deficit).isPositive();
    assertThat(actions).contains("target", "fill");
    assertThat(written.where(not(col(LineageColumns.SYNTHETIC))).count()).isEqualTo(2000);
    assertThat(synthetic.select("diagnosis").distinct().count()).isEqualTo(3);
    assertThat(synthetic.select("race").distinct().as(Encoders.STRING()).collectAsList())
        .isSubsetOf("White", "Black", "Asian", "Other")
        .contains("Other");
    assertThat(synthetic.where(not(col("smoking").isin("never", "former", "current"))).count())
        .isZero();
  }
}
