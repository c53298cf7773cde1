package org.mcrage.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.config.McrageException;
import org.mcrage.job.RebalanceJob;

/** Reruns, run ids and output modes, concurrent runs, and determinism of the synthetic rows. */
class RerunTest {
  private static final int REAL_ROWS = 122;
  private static final int SYNTHETIC_ROWS = (60 - 30) + (60 - 20) + (60 - 12);

  @TempDir static Path dir;
  private static Path input;

  @BeforeAll
  static void table() {
    input = RobustnessTables.write(dir, "t.csv", RobustnessTables.rows());
  }

  @Test
  void sameRunIdTwiceGivesTheSameRowsAndSameSeedGivesIdenticalSyntheticRows() {
    Path output = dir.resolve("twice");
    Map<String, String> settings = Runs.settings(input, output, "r1");

    RebalanceJob.Result first = Runs.run(settings, Map.of());
    List<String> firstRows = Runs.syntheticRows(output);
    RebalanceJob.Result second = Runs.run(settings, Map.of());

    assertThat(first.syntheticRows()).isEqualTo(SYNTHETIC_ROWS);
    assertThat(second.tableVersion()).isEqualTo(first.tableVersion() + 1);
    assertThat(Runs.table(output).count()).isEqualTo(REAL_ROWS + SYNTHETIC_ROWS);
    assertThat(Runs.syntheticRows(output)).hasSize(SYNTHETIC_ROWS).isEqualTo(firstRows);
  }

  @Test
  void differentSeedGivesDifferentSyntheticRows() {
    Path seed42 = dir.resolve("seed42");
    Path seed7 = dir.resolve("seed7");

    Runs.run(Runs.settings(input, seed42, "s"), Map.of());
    Runs.run(Runs.settings(input, seed7, "s"), Map.of("seed", "7"));

    List<String> rows42 = Runs.syntheticRows(seed42);
    List<String> rows7 = Runs.syntheticRows(seed7);
    assertThat(rows7).hasSameSizeAs(rows42);
    assertThat(rows7).isNotEqualTo(rows42);
    // Whole-number and categorical features with few values, clipped to the observed range, let
    // two seeds generate the odd identical row; most rows must still differ.
    assertThat(rows7.stream().filter(rows42::contains).count())
        .as("rows both seeds generated")
        .isLessThan(SYNTHETIC_ROWS / 4);
  }

  @Test
  void otherRunIdAddsItsRowsInAppendModeAndReplacesTheTableInOverwriteMode() {
    Path output = dir.resolve("modes");
    Map<String, String> append = Map.of("output.mode", "append");

    Runs.run(Runs.settings(input, output, "a"), append);
    Runs.run(Runs.settings(input, output, "b"), append);
    Runs.run(Runs.settings(input, output, "b"), append);
    long afterAppends = Runs.table(output).count();
    long aRows = Runs.rowsOf(output, "a");
    long bRows = Runs.rowsOf(output, "b");
    Runs.run(Runs.settings(input, output, "c"), Map.of());

    assertThat(aRows).isEqualTo(REAL_ROWS + SYNTHETIC_ROWS);
    assertThat(bRows).as("b run twice").isEqualTo(REAL_ROWS + SYNTHETIC_ROWS);
    assertThat(afterAppends).isEqualTo(2L * (REAL_ROWS + SYNTHETIC_ROWS));
    assertThat(Runs.rowsOf(output, "c")).isEqualTo(REAL_ROWS + SYNTHETIC_ROWS);
    assertThat(Runs.table(output).count())
        .as("overwrite keeps run c only")
        .isEqualTo(REAL_ROWS + SYNTHETIC_ROWS);
  }

  @Test
  void concurrentAppendRunsBothSucceedOrOneFailsCleanly() throws Exception {
    Path output = dir.resolve("concurrent");
    Runs.run(Runs.settings(input, output, "first"), Map.of("output.mode", "append"));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<Future<RebalanceJob.Result>> runs = new ArrayList<>();

    for (String runId : List.of("left", "right")) {
      runs.add(
          threads.submit(
              () ->
                  Runs.run(Runs.settings(input, output, runId), Map.of("output.mode", "append"))));
    }
    List<String> succeeded = new ArrayList<>();
    List<Throwable> failed = new ArrayList<>();
    for (Future<RebalanceJob.Result> run : runs) {
      try {
        succeeded.add(run.get().runId());
      } catch (java.util.concurrent.ExecutionException e) {
        failed.add(e.getCause());
      }
    }
    threads.shutdown();

    assertThat(succeeded).isNotEmpty();
    assertThat(failed)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(McrageException.class)
                    .hasMessageContaining("Another run committed to output.path")
                    .hasMessageContaining("Rerun with the same run id"));
    assertThat(Runs.rowsOf(output, "first")).isEqualTo(REAL_ROWS + SYNTHETIC_ROWS);
    for (String runId : List.of("left", "right")) {
      long expected = succeeded.contains(runId) ? REAL_ROWS + SYNTHETIC_ROWS : 0;
      assertThat(Runs.rowsOf(output, runId)).as(runId).isEqualTo(expected);
    }
    assertThat(Runs.table(output).count())
        .isEqualTo((1L + succeeded.size()) * (REAL_ROWS + SYNTHETIC_ROWS));
  }
}
