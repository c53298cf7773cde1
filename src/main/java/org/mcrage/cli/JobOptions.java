package org.mcrage.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mcrage.config.ConfigResolver;
import org.mcrage.config.JobConfig;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;
import picocli.CommandLine.Option;

/**
 * The options every job command shares; each named option is a shortcut for one setting, and {@code
 * --set key=value} reaches any setting. Command-line values win over the {@code --config} file,
 * which wins over the defaults.
 */
final class JobOptions {
  @Option(names = "--config", description = "HOCON, JSON or properties file of settings")
  Path configFile;

  @Option(names = "--input", description = "input path or table name (input.path)")
  String input;

  @Option(names = "--format", description = "auto, csv, parquet, delta or table (input.format)")
  String format;

  @Option(names = "--label", description = "label column (label)")
  String label;

  @Option(names = "--demographics", description = "demographic columns, comma separated")
  String demographics;

  @Option(names = "--features", description = "feature columns, comma separated (default: all)")
  String features;

  @Option(names = "--output", description = "output Delta table path (output.path)")
  String output;

  @Option(names = "--mode", description = "overwrite or append (output.mode)")
  String mode;

  @Option(names = "--run-id", description = "run id; a rerun with the same id replaces its rows")
  String runId;

  @Option(names = "--seed", description = "random seed (seed)")
  String seed;

  @Option(names = "--epochs", description = "training epochs (model.epochs)")
  String epochs;

  @Option(names = "--subsample", description = "keep a seeded fraction of a group: SEX=F:0.1")
  String subsample;

  @Option(
      names = "--fill",
      description = "fill target: majority, ratio:R or table:PHI=ROWS,... (groups.fill)")
  String fill;

  @Option(names = "--device", description = "cpu, gpu or auto: where to train and sample (device)")
  String device;

  @Option(names = "--master", description = "Spark master outside spark-submit (spark.master)")
  String master;

  @Option(
      names = "--set",
      description = "any setting as key=value (repeatable); `mcrage settings` lists them")
  List<String> sets = List.of();

  /**
   * Resolves the run's settings from the options, the config file and the defaults.
   *
   * @param commandDefaults settings the command supplies unless the user gives them
   * @return the config
   */
  JobConfig resolve(Map<String, String> commandDefaults) {
    Map<String, String> given = new LinkedHashMap<>();
    put(given, Settings.INPUT_PATH.key(), input);
    put(given, Settings.INPUT_FORMAT.key(), format);
    put(given, Settings.LABEL.key(), label);
    put(given, Settings.DEMOGRAPHICS.key(), demographics);
    put(given, Settings.FEATURES.key(), features);
    put(given, Settings.OUTPUT_PATH.key(), output);
    put(given, Settings.OUTPUT_MODE.key(), mode);
    put(given, Settings.RUN_ID.key(), runId);
    put(given, Settings.SEED.key(), seed);
    put(given, Settings.EPOCHS.key(), epochs);
    put(given, Settings.SUBSAMPLE.key(), subsample);
    put(given, Settings.SPARK_MASTER.key(), master);
    put(given, Settings.FILL.key(), fill);
    put(given, Settings.DEVICE.key(), device);
    for (String assignment : sets) {
      int equals = assignment.indexOf('=');
      if (equals <= 0) {
        throw new McrageException(
            "Cannot read --set '" + assignment + "': expected key=value",
            "Write it as --set model.epochs=300");
      }
      given.put(assignment.substring(0, equals).trim(), assignment.substring(equals + 1).trim());
    }

    return ConfigResolver.resolve(commandDefaults, given, Optional.ofNullable(configFile));
  }

  private static void put(Map<String, String> values, String key, String value) {
    if (value != null) {
      values.put(key, value);
    }
  }
}
