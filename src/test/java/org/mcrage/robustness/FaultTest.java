package org.mcrage.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mcrage.io.RunStore;
import org.mcrage.job.RebalanceJob;
import org.mcrage.job.TestHooks;

/**
 * The job killed with SIGKILL during training, sampling and the Delta write, in a child JVM: the
 * output table stays at its previous version, readable, without a row of the killed run, and the
 * next run with the same run id produces exactly the rows of a clean run (resuming training from
 * its checkpoint when it was killed during training).
 */
class FaultTest {
  private static final String RUN_ID = "killed";

  @TempDir static Path dir;
  private static Path input;
  private static Path baseline;
  private static long baselineRows;
  private static List<String> cleanRows;

  @BeforeAll
  static void baselineAndCleanRun() {
    input = RobustnessTables.write(dir, "t.csv", RobustnessTables.rows());
    baseline = dir.resolve("baseline");
    Runs.run(Runs.settings(input, baseline, "before"), Map.of());
    baselineRows = Runs.table(baseline).count();
    Path clean = dir.resolve("clean");
    Runs.run(Runs.settings(input, clean, RUN_ID), Map.of());
    cleanRows = Runs.syntheticRows(clean);
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "sample", "write"})
  void killedRunLeavesThePreviousVersionAndTheRerunMatchesACleanRun(String stage) throws Exception {
    Path output = dir.resolve("out-" + stage);
    copy(baseline, output);
    long versionBefore = version(output);
    Map<String, String> settings = Runs.settings(input, output, RUN_ID);

    killAt(stage, settings);

    assertThat(version(output)).as("no commit from the killed run").isEqualTo(versionBefore);
    assertThat(Runs.table(output).count()).isEqualTo(baselineRows);
    assertThat(Runs.rowsOf(output, RUN_ID)).isZero();
    RunStore store =
        new RunStore(new org.apache.hadoop.conf.Configuration(), output.toString(), RUN_ID);
    if (stage.equals("train")) {
      assertThat(Files.exists(Paths.get(store.checkpointPath().toString()))).isTrue();
    }

    RebalanceJob.Result rerun = Runs.run(settings, Map.of());

    assertThat(rerun.tableVersion()).isEqualTo(versionBefore + 1);
    assertThat(Runs.rowsOf(output, "before")).as("overwrite replaces the old run").isZero();
    assertThat(Runs.syntheticRows(output)).isEqualTo(cleanRows);
    assertThat(Files.exists(Paths.get(store.checkpointPath().toString())))
        .as("checkpoint removed after the commit")
        .isFalse();
  }

  /** Runs the job in a child JVM, waits for the hook's marker at the stage, and SIGKILLs it. */
  private static void killAt(String stage, Map<String, String> settings) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(childJvmOptions());
    command.add("-D" + TestHooks.PROPERTY + "=" + stage);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(List.of("org.mcrage.cli.Main", "rebalance", "--master", "local[2]"));
    command.addAll(Runs.asArguments(settings));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Boolean> paused =
        CompletableFuture.supplyAsync(() -> waitForMarker(child, stage, output));

    boolean reached = paused.get(240, TimeUnit.SECONDS);
    child.destroyForcibly();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(reached).as("the child paused at %s; it printed:%n%s", stage, output).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  private static boolean waitForMarker(Process child, String stage, List<String> output) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (output) {
          output.add(line);
        }
        if (line.equals(TestHooks.MARKER + " " + stage)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Spark's --add-opens flags and the DJL and Netty properties this JVM was started with. */
  private static List<String> childJvmOptions() {
    List<String> options = new ArrayList<>(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-")
          || option.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || option.startsWith("-Djdk.reflect")
          || option.startsWith("-Dio.netty")
          || option.startsWith("-Dai.djl")) {
        options.add(option);
      }
    }
    return options;
  }

  private static long version(Path table) {
    return io.delta.tables.DeltaTable.forPath(
            org.mcrage.testing.SparkTestSession.get(), table.toString())
        .history(1)
        .select("version")
        .first()
        .getLong(0);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(
          path -> {
            try {
              Files.copy(path, to.resolve(from.relativize(path).toString()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
