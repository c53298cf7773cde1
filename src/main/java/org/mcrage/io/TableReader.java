package org.mcrage.io;

import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.McrageException;

/**
 * Reads the input table from a CSV file, Parquet files, a Delta table (by path) or a metastore
 * table (by name), and records which version was read.
 *
 * <p>With format {@code auto}, a path ending in {@code .csv} is CSV, one ending in {@code .parquet}
 * or a folder of Parquet files is Parquet, a folder with a {@code _delta_log} is Delta, and a name
 * that is not a path but a known table is read from the metastore. CSV is read with a header and
 * inferred types, failing on malformed lines rather than dropping them.
 */
public final class TableReader {
  private final SparkSession spark;

  /**
   * Creates a reader.
   *
   * @param spark the session
   */
  public TableReader(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Reads a table.
   *
   * @param location a path (local, {@code s3a://}, ...) or a metastore table name
   * @param format {@code auto}, {@code csv}, {@code parquet}, {@code delta} or {@code table}
   * @return the table and its version
   * @throws McrageException when it does not exist, cannot be read or has no rows
   */
  public InputTable read(String location, String format) {
    String resolved = "auto".equals(format) ? detectFormat(location) : format;
    if ("csv".equals(resolved)) {
      requireUniqueHeader(location);
    }
    Dataset<Row> rows;
    boolean empty;
    try {
      rows = load(location, resolved);
      empty = rows.isEmpty();
    } catch (McrageException e) {
      throw e;
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      throw new McrageException(
          "Cannot read input '" + location + "' as " + resolved + ": " + firstLine(rootCause(e)),
          "Check that input.path points to a readable " + resolved + " table, or set input.format",
          e);
    }

    if (empty) {
      throw new McrageException(
          "Input '" + location + "' has no rows", "Point input.path at a table with data");
    }
    return new InputTable(rows, location, resolved, version(location, resolved));
  }

  private Dataset<Row> load(String location, String format) {
    switch (format) {
      case "csv":
        return spark
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .option("mode", "FAILFAST")
            .csv(location);
      case "parquet":
        return spark.read().parquet(location);
      case "delta":
        return spark.read().format("delta").load(location);
      case "table":
        return spark.table(location);
      default:
        throw new IllegalArgumentException("Unknown format " + format);
    }
  }

  /**
   * Spark's CSV reader renames duplicated header names (AGE becomes AGE3 and AGE7), which would
   * hide the mistake; the header of a single CSV file is checked here instead.
   */
  private void requireUniqueHeader(String location) {
    String header;
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.getFileStatus(path).isFile() || location.endsWith(".gz")) {
        return;
      }
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
        header = reader.readLine();
      }
    } catch (IOException | IllegalArgumentException e) {
      return;
    }
    if (header == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String name : header.split(",", -1)) {
      String clean = name.trim().replaceAll("^\"|\"$", "");
      if (!seen.add(clean.toLowerCase(Locale.ROOT))) {
        throw new McrageException(
            "Input '" + location + "' has two columns named '" + clean + "' in its header",
            "Rename one of them so that every column name is unique (names are compared"
                + " ignoring case)");
      }
    }
  }

  private String detectFormat(String location) {
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
      requireExists(location);
      return "csv";
    }
    if (lower.endsWith(".parquet")) {
      requireExists(location);
      return "parquet";
    }
    if (exists(location)) {
      return exists(location + "/_delta_log") ? "delta" : "parquet";
    }
    if (!location.contains("/") && spark.catalog().tableExists(location)) {
      return "table";
    }
    throw notFound(location);
  }

  private void requireExists(String location) {
    if (!exists(location)) {
      throw notFound(location);
    }
  }

  private static McrageException notFound(String location) {
    return new McrageException(
        "Cannot read input '" + location + "': no such file, folder or table",
        "Check input.path (--input); relative paths are resolved from the working directory");
  }

  private boolean exists(String location) {
    try {
      Path path = new Path(location);
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private Map<String, Object> version(String location, String format) {
    Map<String, Object> version = new LinkedHashMap<>();
    try {
      if ("delta".equals(format)) {
        Row last = DeltaTable.forPath(spark, location).history(1).select("version").first();
        version.put("delta_version", last.getLong(0));
      } else if (!"table".equals(format)) {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        FileStatus status = fs.getFileStatus(path);
        ContentSummary summary = fs.getContentSummary(path);
        version.put("bytes", summary.getLength());
        version.put("files", summary.getFileCount());
        version.put("modified_epoch_ms", status.getModificationTime());
      }
    } catch (IOException | RuntimeException e) {
      version.put("unknown", firstLine(e));
    }
    return version;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? e : root;
  }

  static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
