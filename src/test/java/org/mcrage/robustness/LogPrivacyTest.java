package org.mcrage.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.config.Redaction;
import org.mcrage.io.RunStore;
import org.mcrage.job.RebalanceJob;
import org.mcrage.testing.SparkTestSession;

/** No patient value and no credential reaches a log line or the run's manifest. */
class LogPrivacyTest {
  private static final String FEATURE_MARKER = "987654.321";
  private static final String TEXT_MARKER = "PATIENT-MARKER-XYZ";
  private static final String SECRET_MARKER = "S3-SECRET-MARKER-5150";

  @TempDir Path dir;

  /** Keeps every event's logger, message and stack trace. */
  private static final class Capture extends AbstractAppender {
    final List<String> lines = new CopyOnWriteArrayList<>();

    Capture() {
      super("privacy-capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ');
      line.append(event.getMessage().getFormattedMessage());
      for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
        line.append(" | ").append(t);
      }
      lines.add(line.toString());
    }
  }

  @Test
  void fullRunLogsNoPatientValueAndNoCredential() throws Exception {
    List<String> rows = new ArrayList<>(RobustnessTables.rows());
    rows.set(3, "in,F,44," + FEATURE_MARKER + "," + TEXT_MARKER);
    Path input = RobustnessTables.write(dir, "marked.csv", rows);
    Path output = dir.resolve("out");
    Configuration hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    hadoop.set("fs.s3a.secret.key", SECRET_MARKER);
    hadoop.set("fs.s3a.access.key", SECRET_MARKER + "-ACCESS");
    Capture capture = new Capture();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    LoggerConfig root = context.getConfiguration().getRootLogger();
    LoggerConfig ours = context.getConfiguration().getLoggerConfig("org.mcrage");
    Level before = ours.getLevel();
    capture.start();
    root.addAppender(capture, Level.ALL, null);
    ours.setLevel(Level.ALL);
    context.updateLoggers();

    RebalanceJob.Result result;
    try {
      result = Runs.run(Runs.settings(input, output, "private"), Map.of());
    } finally {
      root.removeAppender(capture.getName());
      ours.setLevel(before);
      context.updateLoggers();
      hadoop.unset("fs.s3a.secret.key");
      hadoop.unset("fs.s3a.access.key");
    }

    assertThat(capture.lines).as("the run logged its stages").hasSizeGreaterThan(5);
    assertThat(capture.lines).anyMatch(line -> line.contains("CDDPM epoch 1/4"));
    assertThat(capture.lines)
        .noneMatch(line -> line.contains(FEATURE_MARKER) || line.contains("987654"))
        .noneMatch(line -> line.contains(TEXT_MARKER))
        .noneMatch(line -> line.contains(SECRET_MARKER));
    Map<String, Object> manifest =
        new RunStore(hadoop, output.toString(), result.runId()).readManifest();
    String text = manifest.toString();
    assertThat(text).doesNotContain(TEXT_MARKER).doesNotContain(SECRET_MARKER);
    @SuppressWarnings("unchecked")
    Map<String, String> settings = (Map<String, String>) manifest.get("settings");
    assertThat(settings.keySet())
        .noneMatch(
            key -> key.toLowerCase(Locale.ROOT).matches(".*(secret|password|token|credential).*"));
  }

  @Test
  void redactionRemovesSecretSettingsAndCredentialsInPaths() {
    Map<String, String> settings =
        Redaction.settings(
            Map.of(
                "spark.hadoop.fs.s3a.secret.key", "abc",
                "db.password", "hunter2",
                "input.path", "s3a://AKIAEXAMPLE:wJalrSECRET@bucket/ehr/table",
                "output.path", "https://host/t.csv?X-Amz-Signature=deadbeef&part=1",
                "label", "SOURCE"));

    assertThat(settings)
        .containsEntry("spark.hadoop.fs.s3a.secret.key", Redaction.REDACTED)
        .containsEntry("db.password", Redaction.REDACTED)
        .containsEntry("input.path", "s3a://<redacted>@bucket/ehr/table")
        .containsEntry("output.path", "https://host/t.csv?X-Amz-Signature=<redacted>&part=1")
        .containsEntry("label", "SOURCE");
  }
}
