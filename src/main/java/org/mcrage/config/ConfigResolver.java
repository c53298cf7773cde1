package org.mcrage.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resolves the settings of a run from their three sources.
 *
 * <p>Precedence, highest first: the command line (named options and {@code --set key=value}), then
 * the {@code --config} file (HOCON, JSON or Java properties; keys at the top level or under a
 * {@code mcrage} block), then the command's own defaults (the demo's label, say), then each
 * setting's default. Unknown keys in either source are errors that name the closest known key.
 */
public final class ConfigResolver {
  private static final String ROOT = "mcrage";

  private ConfigResolver() {}

  /**
   * Resolves a run's config.
   *
   * @param commandLine values given on the command line, by key
   * @param configFile the {@code --config} file, if any
   * @return the validated config
   * @throws McrageException for an unreadable file, an unknown key or an invalid value
   */
  public static JobConfig resolve(Map<String, String> commandLine, Optional<Path> configFile) {
    return resolve(Map.of(), commandLine, configFile);
  }

  /**
   * Resolves a run's config with a command's own defaults below the file and the command line.
   *
   * @param commandDefaults values the command supplies unless given, by key
   * @param commandLine values given on the command line, by key
   * @param configFile the {@code --config} file, if any
   * @return the validated config
   * @throws McrageException for an unreadable file, an unknown key or an invalid value
   */
  public static JobConfig resolve(
      Map<String, String> commandDefaults,
      Map<String, String> commandLine,
      Optional<Path> configFile) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.all().values()) {
      if (setting.defaultValue() != null) {
        merged.put(setting.key(), setting.defaultValue());
      }
    }

    merged.putAll(commandDefaults);
    configFile.ifPresent(path -> merged.putAll(readFile(path)));
    for (Map.Entry<String, String> entry : commandLine.entrySet()) {
      checkKnown(entry.getKey(), "on the command line");
      merged.put(entry.getKey(), entry.getValue());
    }

    return new JobConfig(merged);
  }

  /**
   * Reads a config file into raw values by key.
   *
   * @param path a HOCON, JSON or properties file
   * @return raw values by dotted key
   */
  static Map<String, String> readFile(Path path) {
    if (!Files.isReadable(path)) {
      throw new McrageException(
          "Cannot read config file '" + path + "': it does not exist or is not readable",
          "Pass an existing file to --config, e.g. conf/patient-treatment.conf");
    }

    Config config;
    try {
      config = ConfigFactory.parseFile(path.toFile(), parseOptions(path)).resolve();
    } catch (ConfigException e) {
      throw new McrageException(
          "Cannot parse config file '" + path + "': " + e.getMessage(),
          "Fix the syntax at the line given (HOCON, JSON or properties)",
          e);
    }

    Config settings = config.hasPath(ROOT) ? config.getConfig(ROOT) : config;
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : settings.entrySet()) {
      String key = entry.getKey();
      checkKnown(key, "in config file '" + path + "'");
      values.put(key, asText(entry.getValue()));
    }
    return values;
  }

  private static ConfigParseOptions parseOptions(Path path) {
    String name = path.getFileName().toString();
    ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
    if (name.endsWith(".json")) {
      return options.setSyntax(ConfigSyntax.JSON);
    }
    if (name.endsWith(".properties")) {
      return options.setSyntax(ConfigSyntax.PROPERTIES);
    }
    return options.setSyntax(ConfigSyntax.CONF);
  }

  private static String asText(ConfigValue value) {
    if (value.valueType() == ConfigValueType.LIST) {
      List<?> items = (List<?>) value.unwrapped();
      return items.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(value.unwrapped());
  }

  private static void checkKnown(String key, String where) {
    if (!Settings.keys().contains(key)) {
      throw new McrageException(
          "Unknown setting '" + key + "' " + where,
          "Did you mean '"
              + Settings.closestKey(key)
              + "'? `bin/mcrage settings` lists every setting");
    }
  }
}
