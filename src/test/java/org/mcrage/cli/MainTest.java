package org.mcrage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mcrage.testing.SparkTestSession;

class MainTest {

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int status = Main.execute(args);
      return new Run(
          status,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void helpListsTheCommands() {
    Run help = run("--help");

    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("rebalance", "profile", "demo", "settings");
  }

  @Test
  void profilePrintsTheGroupTableWithoutTraining() {
    SparkTestSession.get();

    Run profile =
        run(
            "profile",
            "--input",
            SparkTestSession.patientTreatmentCsv().toString(),
            "--label",
            "SOURCE",
            "--demographics",
            "SEX");

    assertThat(profile.status()).isZero();
    assertThat(profile.out()).contains("phi", "SOURCE", "SEX", "count", "deficit", "target");
    assertThat(profile.out()).contains("4412 rows in 4 groups");
  }

  @Test
  void userMistakeExitsWithStatusTwoAndAMessage() {
    Run bad =
        run(
            "rebalance",
            "--input",
            "/no/such/file.csv",
            "--label",
            "y",
            "--demographics",
            "s",
            "--output",
            "/tmp/never");

    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("mcrage: error: Cannot read input '/no/such/file.csv'");
  }

  @Test
  void settingsListsEveryKeyWithItsDefault() {
    Run settings = run("settings");

    assertThat(settings.out()).contains("model.epochs", "= 200", "groups.small-group-policy");
  }
}
