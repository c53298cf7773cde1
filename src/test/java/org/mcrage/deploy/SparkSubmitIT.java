package org.mcrage.deploy;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.testing.SparkTestSession;

/**
 * The packaged job through Spark's own submit path: {@code org.apache.spark.deploy.SparkSubmit}
 * (the class behind {@code spark-submit}) in a child JVM, with the provided jars on its class path,
 * the uber-jar as the application and the libtorch jar by {@code --jars}, as on a cluster.
 */
class SparkSubmitIT {

  @TempDir Path folder;

  @Test
  void sparkSubmitRunsRebalanceFromTheUberJarAndWritesTheDeltaTable() throws Exception {
    SparkSession spark = SparkTestSession.get();
    String input = folder.resolve("input").toString();
    String output = folder.resolve("rebalanced").toString();
    new EhrTableGenerator(spark, 7)
        .generate(2000, 2)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(input);

    PackagedJob.Outcome outcome =
        PackagedJob.run(submit(input, output), folder.resolve("submit.log"), 300);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(outcome.output())
        .contains("sample: round 1")
        .contains("write: committing")
        .contains("rebalance: run 2026-12-01 wrote");
    Dataset<Row> table = spark.read().format("delta").load(output);
    long real = table.filter(col("mcrage_synthetic").equalTo(false)).count();
    long synthetic = table.filter(col("mcrage_synthetic")).count();
    assertThat(real).isEqualTo(2000);
    assertThat(synthetic).isPositive();
    assertThat(table.select("mcrage_run_id").distinct().collectAsList())
        .extracting(row -> row.getString(0))
        .containsExactly("2026-12-01");
    List<Row> counts = table.groupBy("mcrage_group").count().collectAsList();
    long smallest = counts.stream().mapToLong(row -> row.getLong(1)).min().orElseThrow();
    long largest = counts.stream().mapToLong(row -> row.getLong(1)).max().orElseThrow();
    assertThat(smallest).isEqualTo(largest);
  }

  @Test
  void theLocalLauncherStillStartsFromTheBuild() throws Exception {
    PackagedJob.Outcome outcome =
        PackagedJob.run(
            List.of("bash", "bin/mcrage", "settings"), folder.resolve("launcher.log"), 120);

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(outcome.output()).contains("device").contains("output.path");
  }

  private static List<String> submit(String input, String output) throws Exception {
    List<String> command = new ArrayList<>(PackagedJob.java());
    command.add("-Xmx2g");
    command.add("-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
    command.addAll(
        List.of(
            "-cp",
            PackagedJob.providedClassPath(),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--class",
            "org.mcrage.cli.Main",
            "--name",
            "mcrage-submit-it",
            "--jars",
            PackagedJob.nativeJar().toString(),
            "--conf",
            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
            "--conf",
            "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sql.shuffle.partitions=4",
            PackagedJob.uberJar().toString(),
            "rebalance",
            "--input",
            input,
            "--label",
            "diagnosis",
            "--demographics",
            "sex",
            "--output",
            output,
            "--run-id",
            "2026-12-01",
            "--epochs",
            "3",
            "--device",
            "auto",
            "--set",
            "model.hidden-width=32",
            "--set",
            "model.steps=50"));
    return command;
  }
}
