package org.mcrage.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.cli.Main;
import org.mcrage.testing.SparkTestSession;

/**
 * Every bad input the issue lists, through the command line: exit status 2 and one message that
 * names the column or setting, the value and what to do.
 */
class BadInputTest {
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    SparkTestSession.get();
  }

  /** What the user sees. */
  private record Outcome(int exitCode, String stderr) {}

  /** Runs rebalance on a small valid command line; extra options replace the defaults. */
  private Outcome rebalance(Path input, String... extra) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--input", input.toString());
    options.put("--label", "SOURCE");
    options.put("--demographics", "SEX");
    options.put("--output", dir.resolve("out").toString());
    options.put("--epochs", "1");
    List<String> sets = new ArrayList<>(List.of("--set", "model.hidden-width=16"));
    for (int i = 0; i < extra.length; i += 2) {
      if (extra[i].equals("--set")) {
        sets.addAll(List.of(extra[i], extra[i + 1]));
      } else {
        options.put(extra[i], extra[i + 1]);
      }
    }
    List<String> args = new ArrayList<>(List.of("rebalance"));
    options.forEach((option, value) -> args.addAll(List.of(option, value)));
    args.addAll(sets);
    return execute(args.toArray(new String[0]));
  }

  private static Outcome execute(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.execute(args);
    } finally {
      System.setErr(original);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    original.println("[BadInputTest] user sees: " + text.strip());
    return new Outcome(code, text);
  }

  private Path table() {
    return RobustnessTables.write(dir, "t.csv", RobustnessTables.rows());
  }

  @Test
  void missingInputPathNamesThePath() {
    Outcome outcome = rebalance(dir.resolve("nowhere.csv"));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("nowhere.csv")
        .contains("no such file")
        .contains("Check input.path");
  }

  @Test
  void emptyFileIsRejected() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.csv"));

    Outcome outcome = rebalance(empty);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("empty.csv")
        .contains("has no rows")
        .contains("input.path");
  }

  @Test
  void headerOnlyFileIsRejected() {
    Path headerOnly = RobustnessTables.write(dir, "header.csv", List.of());

    Outcome outcome = rebalance(headerOnly);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("header.csv").contains("has no rows");
  }

  @Test
  void unreadableFileNamesTheFormat() throws IOException {
    Path garbage = Files.writeString(dir.resolve("broken.parquet"), "this is not parquet");

    Outcome outcome = rebalance(garbage);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Cannot read input")
        .contains("broken.parquet")
        .contains("as parquet")
        .contains("input.format");
  }

  @Test
  void missingLabelColumnListsTheColumns() {
    Outcome outcome = rebalance(table(), "--label", "DIAGNOSIS");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Column 'DIAGNOSIS' (setting 'label')")
        .contains("SOURCE, SEX, AGE, HAEMA, NOTE")
        .contains("Fix 'label'");
  }

  @Test
  void missingDemographicColumnListsTheColumns() {
    Outcome outcome = rebalance(table(), "--demographics", "SEX,RACE");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Column 'RACE' (setting 'demographics')")
        .contains("SOURCE, SEX, AGE, HAEMA, NOTE")
        .contains("Fix 'demographics'");
  }

  @Test
  void textFeatureColumnConfiguredAsANumberIsRejected() {
    Outcome outcome =
        rebalance(table(), "--features", "AGE,NOTE", "--set", "column-kinds=NOTE:continuous");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Feature column 'NOTE'")
        .contains("type string")
        .contains("column-kinds declares it continuous")
        .contains("Cast it in the input, declare it categorical");
  }

  @Test
  void labelWithOneClassIsRejected() {
    Path oneClass = RobustnessTables.write(dir, "one.csv", RobustnessTables.rows(1, 30, 20, 0, 0));

    Outcome outcome = rebalance(oneClass);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Label column 'SOURCE' (setting 'label') has a single class [in]")
        .contains("at least two classes");
  }

  @Test
  void everyRowInOneGroupIsRejected() {
    List<String> rows = new ArrayList<>(RobustnessTables.rows(1, 30, 0, 0, 0));
    rows.addAll(
        RobustnessTables.rows(2, 0, 0, 0, 15).stream().map(r -> r.replace(",M,", ",,")).toList());
    Path oneGroup = RobustnessTables.write(dir, "group.csv", rows);

    Outcome outcome = rebalance(oneGroup);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("is in one group, SOURCE=in, SEX=F")
        .contains("'label' and 'demographics'");
  }

  @Test
  void groupBelowTheModelMinimumNamesTheGroupAndTheSetting() {
    Path small = RobustnessTables.write(dir, "small.csv", RobustnessTables.rows(1, 60, 30, 20, 3));

    Outcome outcome = rebalance(small);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("groups.min-size=10")
        .contains("SOURCE=out, SEX=M (3 rows)")
        .contains("groups.small-group-policy");
  }

  @Test
  void nanFeatureValueIsRejected() {
    List<String> rows = new ArrayList<>(RobustnessTables.rows());
    rows.set(5, "in,F,40,NaN,note1");

    Outcome outcome = rebalance(RobustnessTables.write(dir, "nan.csv", rows));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Feature column 'HAEMA' has 1 NaN or infinite values")
        .contains("Replace them");
  }

  @Test
  void infiniteFeatureValueIsRejected() {
    List<String> rows = new ArrayList<>(RobustnessTables.rows());
    rows.set(7, "in,F,40,Inf,note1");
    rows.set(8, "in,F,40,-Inf,note1");

    Outcome outcome = rebalance(RobustnessTables.write(dir, "inf.csv", rows));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Feature column 'HAEMA' has 2 NaN or infinite values")
        .contains("Replace them");
  }

  @Test
  void duplicatedColumnNamesAreRejected() {
    Path duplicated =
        RobustnessTables.writeWithHeader(
            dir, "dup.csv", "SOURCE,SEX,AGE,HAEMA,age", RobustnessTables.rows());

    Outcome outcome = rebalance(duplicated);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("dup.csv")
        .contains("two columns named 'age'")
        .contains("Rename one of them");
  }

  @Test
  void malformedConfigFileNamesTheFileAndLine() throws IOException {
    Path conf = Files.writeString(dir.resolve("bad.conf"), "mcrage {\n  label = \n  seed = [\n");

    Outcome outcome = rebalance(table(), "--config", conf.toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Cannot parse config file")
        .contains("bad.conf")
        .contains("Fix the syntax");
  }

  @Test
  void missingConfigFileIsRejected() {
    Outcome outcome = rebalance(table(), "--config", dir.resolve("none.conf").toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("none.conf").contains("Pass an existing file");
  }

  @Test
  void unknownKeyInConfigFileNamesTheClosestKey() throws IOException {
    Path conf = Files.writeString(dir.resolve("typo.conf"), "mcrage { model.epoch = 3 }\n");

    Outcome outcome = rebalance(table(), "--config", conf.toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Unknown setting 'model.epoch'")
        .contains("typo.conf")
        .contains("Did you mean 'model.epochs'");
  }

  @Test
  void unknownKeyOnTheCommandLineNamesTheClosestKey() {
    Outcome outcome = rebalance(table(), "--set", "groups.minsize=5");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Unknown setting 'groups.minsize' on the command line")
        .contains("Did you mean 'groups.min-size'");
  }

  @Test
  void zeroAndNegativeEpochsAreRejected() {
    for (String epochs : List.of("0", "-3")) {
      Outcome outcome = rebalance(table(), "--epochs", epochs);

      assertThat(outcome.exitCode()).isEqualTo(2);
      assertThat(outcome.stderr())
          .contains("Invalid setting 'model.epochs': value '" + epochs + "' is out of range")
          .contains("an integer >= 1");
    }
  }

  @Test
  void nonNumericEpochsAreRejected() {
    Outcome outcome = rebalance(table(), "--epochs", "ten");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Cannot read setting 'model.epochs': value 'ten' is not an integer >= 1");
  }

  @Test
  void zeroBatchSizeIsRejected() {
    Outcome outcome = rebalance(table(), "--set", "model.batch-size=0");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Invalid setting 'model.batch-size': value '0' is out of range")
        .contains("Set 'model.batch-size' to an integer >= 1");
  }

  @Test
  void guidanceWeightOutOfRangeIsRejected() {
    for (String weight : List.of("25", "-1")) {
      Outcome outcome = rebalance(table(), "--set", "model.guidance-weight=" + weight);

      assertThat(outcome.exitCode()).isEqualTo(2);
      assertThat(outcome.stderr())
          .contains("Invalid setting 'model.guidance-weight': value '" + weight + "'")
          .contains("a number in [0.0, 20.0]");
    }
  }

  @Test
  void outputPathThatIsTheInputPathIsRejected() throws IOException {
    Path input = table();
    long before = Files.size(input);

    Outcome outcome = rebalance(input, "--output", "file:" + input);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("output.path 'file:" + input + "' is the input path")
        .contains("Set output.path (--output) to a new folder outside the input");
    assertThat(Files.size(input)).isEqualTo(before);
  }

  @Test
  void outputPathInsideTheInputFolderIsRejected() {
    SparkTestSession.get()
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(table().toString())
        .write()
        .parquet(dir.resolve("pq").toString());

    Outcome outcome =
        rebalance(dir.resolve("pq"), "--output", dir.resolve("pq/rebalanced").toString());

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("pq/rebalanced").contains("inside, or holds");
  }
}
