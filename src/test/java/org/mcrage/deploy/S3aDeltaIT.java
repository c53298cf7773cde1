package org.mcrage.deploy;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.config.JobConfig;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.RebalanceJob;
import org.mcrage.testing.SparkTestSession;

/**
 * s3a:// input and Delta output on a real S3 API: s3mock's runnable jar, started by this test as a
 * child process on a free port, reached through hadoop-aws with path-style access. The dummy keys
 * are JVM system properties read by the AWS SDK's default credentials chain, never a config file.
 * The S3A settings are per bucket, so other tests in the JVM are unaffected.
 */
class S3aDeltaIT {
  private static final String BUCKET = "mcrage-it";
  private static final String ACCESS_KEY = "AKIAMCRAGEITDUMMY01";
  private static final String SECRET_KEY = "mcrage-it-dummy-secret-0123456789";
  private static final long STARTUP_NANOS = 180_000_000_000L;

  @TempDir static Path folder;

  private static Process s3mock;
  private static Path s3mockLog;

  @BeforeAll
  static void startS3Api() throws Exception {
    int port = freePort();
    s3mockLog = folder.resolve("s3mock.log");
    // s3mock 3.12.0: com.adobe.testing.s3mock.httpPort is the plain-HTTP connector
    // (S3MockProperties);
    // server.port is its TLS connector (0 = any free port); initial buckets and the store root
    // are com.adobe.testing.s3mock.domain.* (a "store." prefix is silently ignored).
    s3mock =
        new ProcessBuilder(
                PackagedJob.java().get(0),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                System.getProperty("mcrage.s3mock.jar", "target/it-tools/s3mock-exec.jar"),
                "--com.adobe.testing.s3mock.httpPort=" + port,
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.domain.initialBuckets=" + BUCKET,
                "--com.adobe.testing.s3mock.domain.root=" + folder.resolve("s3"),
                "--spring.main.banner-mode=off")
            .redirectErrorStream(true)
            .redirectOutput(s3mockLog.toFile())
            .start();
    String endpoint = "http://127.0.0.1:" + port;
    awaitBucket(endpoint + "/" + BUCKET);

    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    Configuration hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    String bucket = "fs.s3a.bucket." + BUCKET + ".";
    hadoop.set(bucket + "endpoint", endpoint);
    hadoop.set(bucket + "endpoint.region", "us-east-1");
    hadoop.set(bucket + "path.style.access", "true");
    hadoop.set(bucket + "connection.ssl.enabled", "false");
    hadoop.set(
        bucket + "aws.credentials.provider",
        "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
  }

  @AfterAll
  static void stopS3Api() throws Exception {
    if (s3mock != null) {
      s3mock.destroy();
      if (!s3mock.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        s3mock.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void rebalancesFromS3aIntoADeltaTableOnS3aAndRereadsIt() throws Exception {
    SparkSession spark = SparkTestSession.get();
    String input = "s3a://" + BUCKET + "/ehr/input";
    String output = "s3a://" + BUCKET + "/ehr/rebalanced";
    new EhrTableGenerator(spark, 5)
        .generate(600, 2)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(input);

    StringWriter logs = new StringWriter();
    RebalanceJob.Result first;
    RebalanceJob.Result second;
    try (LogCapture capture = new LogCapture(logs)) {
      first = new RebalanceJob(spark, config(input, output, "r1", "overwrite")).run();
      second = new RebalanceJob(spark, config(input, output, "r2", "append")).run();
    }

    Dataset<Row> table = spark.read().format("delta").load(output);
    long perRun = first.realRows() + first.syntheticRows();
    assertThat(first.tableVersion()).isZero();
    assertThat(second.tableVersion()).isEqualTo(1);
    assertThat(first.realRows()).isEqualTo(600);
    assertThat(first.syntheticRows()).isPositive();
    assertThat(table.count()).isEqualTo(perRun + second.realRows() + second.syntheticRows());
    assertThat(table.where(col(LineageColumns.RUN_ID).equalTo("r1")).count()).isEqualTo(perRun);
    assertThat(table.where(col(LineageColumns.SYNTHETIC).equalTo(false)).count()).isEqualTo(1200);
    Dataset<Row> atZero = spark.read().format("delta").option("versionAsOf", 0).load(output);
    assertThat(atZero.count()).isEqualTo(perRun);
    assertThat(atZero.select(LineageColumns.RUN_ID).distinct().collectAsList())
        .extracting(row -> row.getString(0))
        .containsExactly("r1");

    String manifest = read(spark, output + "/_mcrage/runs/r1/manifest.json");
    assertThat(new ObjectMapper().readTree(manifest).get("seed").asLong()).isEqualTo(7);
    assertThat(manifest).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY);
    assertThat(logs.toString())
        .contains("rebalance: run r1 wrote")
        .contains(output)
        .doesNotContain(ACCESS_KEY)
        .doesNotContain(SECRET_KEY);
    assertThat(Files.readString(s3mockLog)).doesNotContain(SECRET_KEY);
  }

  private static JobConfig config(String input, String output, String runId, String mode) {
    Map<String, String> settings = new HashMap<>();
    settings.put("input.path", input);
    settings.put("input.format", "parquet");
    settings.put("label", "diagnosis");
    settings.put("demographics", "sex");
    settings.put("output.path", output);
    settings.put("output.mode", mode);
    settings.put("run-id", runId);
    settings.put("seed", "7");
    settings.put("model.epochs", "2");
    settings.put("model.hidden-width", "32");
    settings.put("model.steps", "50");
    settings.put("sampling.rows-per-task", "1000");
    return JobConfig.of(settings);
  }

  private static String read(SparkSession spark, String path) throws IOException {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path);
    FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (FSDataInputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Polls HEAD on the bucket (200 once s3mock serves it) for up to three minutes. */
  private static void awaitBucket(String url) throws Exception {
    long deadline = System.nanoTime() + STARTUP_NANOS;
    while (System.nanoTime() < deadline) {
      if (!s3mock.isAlive()) {
        throw new IllegalStateException("s3mock exited:\n" + Files.readString(s3mockLog));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestMethod("HEAD");
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "s3mock did not serve " + url + " within 180 s:\n" + Files.readString(s3mockLog));
  }

  /** Copies every log event (root and org.mcrage, at their configured levels) into a writer. */
  private static final class LogCapture implements AutoCloseable {
    private static final String NAME = "s3a-it-capture";
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final List<LoggerConfig> loggers =
        List.of(
            context.getConfiguration().getRootLogger(),
            context.getConfiguration().getLoggerConfig("org.mcrage"));

    LogCapture(StringWriter target) {
      WriterAppender appender =
          WriterAppender.newBuilder()
              .setName(NAME)
              .setTarget(target)
              .setLayout(PatternLayout.newBuilder().withPattern("%c{1}: %m%n").build())
              .build();
      appender.start();
      for (LoggerConfig logger : loggers) {
        logger.addAppender(appender, Level.ALL, null);
      }
      context.updateLoggers();
    }

    @Override
    public void close() {
      for (LoggerConfig logger : loggers) {
        logger.removeAppender(NAME);
      }
      context.updateLoggers();
    }
  }
}
