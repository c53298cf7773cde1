package org.mcrage.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcrage.cli.Main;
import picocli.CommandLine;

/**
 * The job definitions under {@code deploy/} are what a data engineer copies: they parse, name the
 * main class and the jars, pass arguments the command line accepts, and carry the Spark settings
 * the job needs.
 */
class DeployDefinitionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MAIN = "org.mcrage.cli.Main";

  @ParameterizedTest
  @ValueSource(strings = {"deploy/databricks/job.json", "deploy/databricks/job-gpu.json"})
  void databricksJobRunsTheMainClassOnRuntime17WithoutBundlingDelta(String file)
      throws IOException {
    JsonNode task = read(file).path("tasks").get(0);
    JsonNode cluster = task.path("new_cluster");
    List<String> jars = new ArrayList<>();
    task.path("libraries").forEach(library -> jars.add(library.path("jar").asText()));
    List<String> arguments = texts(task.path("spark_jar_task").path("parameters"));

    assertThat(task.path("spark_jar_task").path("main_class_name").asText()).isEqualTo(MAIN);
    assertThat(cluster.path("spark_version").asText()).startsWith("17.").contains("scala2.13");
    assertThat(jars).anyMatch(jar -> jar.matches(".*/mcrage-spark-[^/]+\\.jar"));
    assertThat(jars).anyMatch(jar -> jar.matches(".*/pytorch-native-(cpu|cu\\d+)-[^/]+\\.jar"));
    assertThat(jars).noneMatch(jar -> jar.contains("delta"));
    assertThat(cluster.path("spark_conf").path("spark.driver.extraJavaOptions").asText())
        .contains("-Dai.djl.offline=true");
    assertThat(cluster.path("spark_conf").path("spark.executor.extraJavaOptions").asText())
        .contains("-Dai.djl.offline=true");
    assertThat(cluster.path("spark_env_vars").path("DJL_CACHE_DIR").asText())
        .startsWith("/local_disk0/");
    assertThat(cluster.path("spark_env_vars").path("OMP_WAIT_POLICY").asText())
        .isEqualTo("PASSIVE");
    assertThat(valueAfter(arguments, "--run-id")).isEqualTo("{{job.parameters.run_date}}");
    assertThat(read(file).path("parameters").get(0).path("default").asText())
        .isEqualTo("{{job.start_time.iso_date}}");
    assertAcceptedByTheCommandLine(arguments);
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/emr/step.json", "deploy/emr/step-gpu.json"})
  void emrStepSubmitsTheUberJarWithTheSettingsTheJobNeeds(String file) throws IOException {
    JsonNode step = read(file).get(0);
    List<String> args = texts(step.path("Args"));
    int command = args.indexOf("rebalance");

    assertThat(step.path("Jar").asText()).isEqualTo("command-runner.jar");
    assertThat(args.get(0)).isEqualTo("spark-submit");
    assertThat(valueAfter(args, "--class")).isEqualTo(MAIN);
    assertThat(valueAfter(args, "--deploy-mode")).isEqualTo("cluster");
    assertThat(valueAfter(args, "--driver-memory")).matches("\\d+g");
    assertThat(args.get(command - 1)).matches("s3://.*/mcrage-spark-[^/]+\\.jar");
    assertThat(valueAfter(args, "--jars"))
        .matches(".*pytorch-native-(cpu|cu\\d+)-.*")
        .contains("/usr/share/aws/delta/lib/delta-spark.jar");
    assertThat(confs(args))
        .contains(
            "spark.yarn.appMasterEnv.DJL_CACHE_DIR=/mnt/tmp/djl-cache",
            "spark.executorEnv.DJL_CACHE_DIR=/mnt/tmp/djl-cache",
            "spark.executorEnv.OMP_WAIT_POLICY=PASSIVE",
            "spark.driver.extraJavaOptions=-Dai.djl.offline=true",
            "spark.executor.extraJavaOptions=-Dai.djl.offline=true",
            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension");
    assertThat(valueAfter(args, "--files")).endsWith("/job.conf");
    assertThat(valueAfter(args, "--config")).isEqualTo("job.conf");
    assertAcceptedByTheCommandLine(args.subList(command, args.size()));
  }

  @Test
  void gpuDefinitionsAskSparkForGpusAndSampleOnThem() throws IOException {
    JsonNode databricks = read("deploy/databricks/job-gpu.json").path("tasks").get(0);
    List<String> emr = texts(read("deploy/emr/step-gpu.json").get(0).path("Args"));

    JsonNode conf = databricks.path("new_cluster").path("spark_conf");

    assertThat(conf.path("spark.task.resource.gpu.amount").asText()).isEqualTo("0.25");
    assertThat(conf.path("spark.executor.resource.gpu.amount").asText()).isEqualTo("1");
    assertThat(valueAfter(texts(databricks.path("spark_jar_task").path("parameters")), "--device"))
        .isEqualTo("gpu");
    assertThat(databricks.path("libraries").toString()).contains("pytorch-native-cu128");
    assertThat(confs(emr))
        .contains("spark.task.resource.gpu.amount=0.25", "spark.executor.resource.gpu.amount=1");
    assertThat(valueAfter(emr, "--device")).isEqualTo("gpu");
    assertThat(valueAfter(emr, "--jars")).contains("pytorch-native-cu128");
  }

  private static void assertAcceptedByTheCommandLine(List<String> arguments) {
    CommandLine.ParseResult parsed =
        new CommandLine(new Main()).parseArgs(arguments.toArray(new String[0]));

    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("rebalance");
    assertThat(parsed.subcommand().unmatched()).isEmpty();
  }

  private static JsonNode read(String file) throws IOException {
    return JSON.readTree(Path.of(file).toFile());
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static String valueAfter(List<String> arguments, String option) {
    int at = arguments.indexOf(option);
    assertThat(at).as(option + " in " + arguments).isGreaterThanOrEqualTo(0);
    return arguments.get(at + 1);
  }

  private static List<String> confs(List<String> arguments) {
    List<String> confs = new ArrayList<>();
    for (int i = 0; i + 1 < arguments.size(); i++) {
      if (arguments.get(i).equals("--conf")) {
        confs.add(arguments.get(i + 1));
      }
    }
    return confs;
  }
}
