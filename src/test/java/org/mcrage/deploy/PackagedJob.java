package org.mcrage.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What `mvn package` built, for the integration tests: the uber-jar, the provided jars (Spark,
 * Delta, hadoop-aws) in target/lib and the libtorch CPU jar in target/dist; and a way to run a
 * child JVM with them.
 */
final class PackagedJob {
  private PackagedJob() {}

  /** Returns the build folder ({@code target/}). */
  static Path buildDir() {
    return Paths.get(System.getProperty("mcrage.build.dir", "target")).toAbsolutePath();
  }

  /** Returns the uber-jar. */
  static Path uberJar() throws IOException {
    return only(buildDir(), "mcrage-spark-", ".jar");
  }

  /** Returns the libtorch CPU jar. */
  static Path nativeJar() throws IOException {
    return only(buildDir().resolve("dist"), "pytorch-native-cpu", ".jar");
  }

  /** Returns the class path of the provided jars: Spark, Delta, Hadoop and hadoop-aws. */
  static String providedClassPath() {
    return buildDir().resolve("lib") + File.separator + "*";
  }

  private static Path only(Path folder, String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().contains("sources"))
          .findFirst()
          .orElseThrow(() -> new IOException("No " + prefix + "*" + suffix + " in " + folder));
    }
  }

  /** The exit status and the output (stdout and stderr) of a finished child process. */
  record Outcome(int exitCode, String output) {}

  /**
   * Runs a command to its end, with the Spark-on-Java-17 environment, and returns what it said.
   *
   * @param command the command
   * @param log where its output goes
   * @param timeoutSeconds how long it may run
   * @return its exit status and output
   */
  static Outcome run(List<String> command, Path log, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    builder.environment().put("DJL_CACHE_DIR", buildDir().resolve("djl-cache").toString());
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      return new Outcome(-1, Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Returns {@code java} of this JVM with Spark's --add-opens list. */
  static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : SparkModuleOptions.OPTIONS) {
      command.add(option);
    }
    return command;
  }
}
