package org.mcrage.job;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.config.JobConfig;
import org.mcrage.io.LineageColumns;
import org.mcrage.testing.SparkTestSession;

/**
 * The acceptance check on the paper's data set: 10% of SEX=F kept, rebalanced into four
 * equal groups, real rows identical to the input, lineage set, and a rerun that does not add rows.
 */
class RebalanceJobTest {
  @TempDir static Path folder;

  private static SparkSession spark;
  private static Path output;
  private static RebalanceJob.Result first;

  @BeforeAll
  static void rebalanceOnce() {
    spark = SparkTestSession.get();
    output = folder.resolve("rebalanced");
    first = new RebalanceJob(spark, config("r1")).run();
  }

  private static JobConfig config(String runId) {
    Map<String, String> settings = new HashMap<>();
    settings.put("input.path", SparkTestSession.patientTreatmentCsv().toString());
    settings.put("label", "SOURCE");
    settings.put("demographics", "SEX");
    settings.put("output.path", output.toString());
    settings.put("run-id", runId);
    settings.put("seed", "7");
    settings.put("subsample", "SEX=F:0.1");
    settings.put("model.epochs", "4");
    settings.put("model.hidden-width", "32");
    settings.put("model.batch-size", "512");
    settings.put("sampling.rows-per-task", "700");
    return JobConfig.of(settings);
  }

  private Dataset<Row> table() {
    return spark.read().format("delta").load(output.toString());
  }

  @Test
  void everyGroupHoldsTheTargetCount() {
    List<Row> counts =
        table().groupBy(LineageColumns.GROUP).count().orderBy(LineageColumns.GROUP).collectAsList();

    assertThat(counts).hasSize(4);
    assertThat(counts).extracting(row -> row.getLong(1)).containsOnly(first.groups().target());
    assertThat(first.groups().groups()).extracting(g -> g.count()).doesNotContain(0L);
    assertThat(first.syntheticRows()).isEqualTo(first.groups().totalDeficit()).isPositive();
  }

  @Test
  void realRowsAreExactlyTheSubsampledInputRows() {
    Dataset<Row> input =
        Subsample.parse("SEX=F:0.1")
            .apply(
                spark
                    .read()
                    .option("header", "true")
                    .option("inferSchema", "true")
                    .csv(SparkTestSession.patientTreatmentCsv().toString()),
                7);
    Dataset<Row> real =
        table()
            .where(col(LineageColumns.SYNTHETIC).equalTo(false))
            .drop(LineageColumns.ALL.toArray(new String[0]));

    assertThat(real.schema()).isEqualTo(input.schema());
    assertThat(real.count()).isEqualTo(input.count());
    assertThat(real.exceptAll(input).count()).isZero();
    assertThat(input.exceptAll(real).count()).isZero();
    assertThat(input.where(col("SEX").equalTo("F")).count()).isBetween(150L, 260L);
  }

  @Test
  void lineageColumnsAreSetAndSyntheticRowsAreInRangeAndNotCopies() {
    Dataset<Row> synthetic = table().where(col(LineageColumns.SYNTHETIC));
    Dataset<Row> real = table().where(col(LineageColumns.SYNTHETIC).equalTo(false));

    assertThat(table().where(col(LineageColumns.RUN_ID).notEqual("r1")).count()).isZero();
    assertThat(table().where(col(LineageColumns.GROUP).isNull()).count()).isZero();
    assertThat(synthetic.count()).isEqualTo(first.syntheticRows());
    assertThat(synthetic.where(col("AGE").isNull().or(col("HAEMATOCRIT").isNull())).count())
        .isZero();
    Row ranges =
        real.agg(
                org.apache.spark.sql.functions.min("AGE"),
                org.apache.spark.sql.functions.max("AGE"))
            .first();
    assertThat(
            synthetic
                .where(col("AGE").lt(ranges.getInt(0)).or(col("AGE").gt(ranges.getInt(1))))
                .count())
        .isZero();
    String[] features =
        first.manifest().get("columns") instanceof Map<?, ?> m
            ? ((List<?>) m.get("features")).toArray(new String[0])
            : new String[0];
    assertThat(features).hasSize(9);
    assertThat(synthetic.select("SEX", features).intersect(real.select("SEX", features)).count())
        .isZero();
  }

  @Test
  void rerunWithTheSameRunIdReplacesItsRows() {
    long before = table().count();

    RebalanceJob.Result again = new RebalanceJob(spark, config("r1")).run();

    assertThat(table().count()).isEqualTo(before);
    assertThat(again.tableVersion()).isEqualTo(first.tableVersion() + 1);
    assertThat(
            spark
                .read()
                .format("delta")
                .option("versionAsOf", first.tableVersion())
                .load(output.toString())
                .count())
        .isEqualTo(before);
  }

  @Test
  void manifestAndModelAreRecordedBesideTheTable() {
    Path run = output.resolve("_mcrage/runs/r1");

    assertThat(run.resolve("manifest.json")).exists();
    assertThat(run.resolve("model.cddpm")).exists();
    assertThat(first.manifest())
        .containsKeys("settings", "groups", "input", "model", "seed", "fidelity");
    assertThat(first.manifest().get("seed")).isEqualTo(7L);
    Map<?, ?> model = (Map<?, ?>) first.manifest().get("model");
    assertThat((Integer) model.get("steps")).isPositive();
    List<Row> history =
        spark.sql("DESCRIBE HISTORY delta.`" + output + "`").select("userMetadata").collectAsList();
    assertThat(history.get(0).getString(0)).contains("\"mcrage_run_id\":\"r1\"");
    assertThat(Files.isDirectory(output.resolve("_delta_log"))).isTrue();
  }
}
