package org.mcrage.deploy;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.config.ConfigResolver;
import org.mcrage.config.JobConfig;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.io.LineageColumns;
import org.mcrage.io.RebalancedTableWriter;
import org.mcrage.job.RebalanceJob;
import org.mcrage.testing.SparkTestSession;

/**
 * Every query in {@code notebooks/rebalanced_table.sql} runs against a table the job wrote (two
 * commits: a run, then a second run id appended), with its placeholders filled in.
 */
class NotebookQueriesIT {
  private static final Path SQL = Path.of("notebooks/rebalanced_table.sql");

  @TempDir static Path folder;

  private static String table;

  @BeforeAll
  static void writeTableTwice() {
    SparkSession spark = SparkTestSession.get();
    String input = folder.resolve("input").toString();
    String output = folder.resolve("rebalanced").toString();
    new EhrTableGenerator(spark, 11)
        .generate(600, 2)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(input);
    JobConfig config =
        ConfigResolver.resolve(
            Map.of(),
            Map.of(
                "input.path", input,
                "output.path", output,
                "label", "diagnosis",
                "demographics", "sex",
                "run-id", "2026-12-01",
                "model.epochs", "2",
                "model.hidden-width", "16",
                "model.steps", "20"),
            Optional.empty());
    new RebalanceJob(spark, config).run();
    new RebalancedTableWriter(spark)
        .write(
            spark
                .read()
                .format("delta")
                .load(output)
                .withColumn(LineageColumns.RUN_ID, lit("2026-12-02")),
            output,
            "2026-12-02",
            "append",
            "{\"mcrage_run_id\":\"2026-12-02\",\"seed\":42,\"manifest\":\"none\"}");
    table = "delta.`" + output + "`";
  }

  @Test
  void everyQueryRunsAndTheGroupCountsAreBalanced() throws Exception {
    List<String> queries = queries();
    SparkSession spark = SparkTestSession.get();
    List<List<Row>> results = new ArrayList<>();
    for (String query : queries) {
      results.add(spark.sql(query).collectAsList());
    }

    assertThat(queries).hasSize(6);
    List<Row> groups = results.get(0);
    assertThat(groups).isNotEmpty();
    long total = groups.get(0).getLong(groups.get(0).fieldIndex("total_rows"));
    assertThat(groups).allMatch(row -> row.getLong(row.fieldIndex("total_rows")) == total);
    assertThat(groups).anyMatch(row -> row.getLong(row.fieldIndex("synthetic_rows")) > 0);
    assertThat(results.get(1)).isNotEmpty();
    assertThat(results.get(2))
        .extracting(row -> row.getString(0))
        .containsExactly("2026-12-01", "2026-12-02");
    assertThat(results.get(3))
        .allMatch(row -> row.getString(row.fieldIndex("mcrage_run_id")).equals("2026-12-02"));
    List<Row> history = results.get(4);
    assertThat(history).hasSize(2);
    assertThat(history.get(0).getString(history.get(0).fieldIndex("userMetadata")))
        .contains("\"mcrage_run_id\":\"2026-12-02\"");
    assertThat(history.get(1).getString(history.get(1).fieldIndex("userMetadata")))
        .contains("\"mcrage_run_id\":\"2026-12-01\"")
        .contains("manifest.json");
    Row firstGroup = results.get(5).get(0);
    assertThat(firstGroup.getLong(firstGroup.fieldIndex("current_rows")))
        .isEqualTo(2 * firstGroup.getLong(firstGroup.fieldIndex("previous_rows")));
  }

  private static List<String> queries() throws Exception {
    List<String> queries = new ArrayList<>();
    String text = Files.readString(SQL).replaceAll("(?m)^\\s*--.*$", "");
    for (String statement : text.split(";")) {
      if (!statement.isBlank()) {
        queries.add(
            statement.replace("${table}", table).replace("${previous_version}", "0").strip());
      }
    }
    return queries;
  }
}
