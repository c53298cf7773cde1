package org.mcrage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.cli.Main;
import picocli.CommandLine;

/**
 * The Airflow DAG under {@code jobs/} parses as Python (with {@code ast}, run by {@code python3}),
 * runs rebalance then evaluate through the main class, and takes its run id from the run date.
 */
class AirflowDagTest {
  private static final Path DAG = Path.of("jobs/mcrage_dag.py");

  @TempDir Path folder;

  @Test
  void dagParsesAndRunsRebalanceThenEvaluateWithTheRunDateAsRunId() throws Exception {
    JsonNode facts = facts();
    JsonNode constants = facts.path("constants");
    List<String> rebalance = texts(constants.path("REBALANCE_ARGS"));
    List<String> evaluate = texts(constants.path("EVALUATE_ARGS"));

    assertThat(constants.path("MAIN_CLASS").asText()).isEqualTo("org.mcrage.cli.Main");
    assertThat(constants.path("JOB_JAR").asText()).matches(".*/mcrage-spark-[^/]+\\.jar");
    assertThat(rebalance.get(0)).isEqualTo("rebalance");
    assertThat(rebalance.get(rebalance.indexOf("--run-id") + 1)).isEqualTo("{{ ds }}");
    assertThat(rebalance.get(rebalance.indexOf("--mode") + 1)).isEqualTo("append");
    assertThat(evaluate).startsWith("evaluate").contains("--config", "--seeds", "--report-dir");
    assertThat(facts.path("edges").toString()).contains("[\"rebalance\",\"evaluate\"]");
    assertThat(facts.path("operators").toString())
        .contains("SparkSubmitOperator", "DatabricksSubmitRunOperator", "EmrAddStepsOperator");
    assertThat(Files.readString(DAG)).doesNotContainIgnoringCase("secret_access_key");

    CommandLine.ParseResult parsed =
        new CommandLine(new Main()).parseArgs(rebalance.toArray(new String[0]));
    assertThat(parsed.subcommand().unmatched()).isEmpty();
  }

  private JsonNode facts() throws Exception {
    Path script = Path.of("src/test/resources/dag_facts.py");
    PackagedJob.Outcome outcome =
        PackagedJob.run(
            List.of("python3", script.toString(), DAG.toString()), folder.resolve("dag.log"), 60);
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    return new ObjectMapper().readTree(outcome.output());
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
