package org.mcrage.config;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resolved, validated settings of one run: an immutable map from key to raw text, read through
 * the typed {@link Setting} declarations in {@link Settings}.
 *
 * <p>Every value present was validated when the config was built, so the typed getters cannot fail
 * on a malformed value; {@link #require} fails only for a missing required setting.
 */
public final class JobConfig {
  private final Map<String, String> values;

  JobConfig(Map<String, String> values) {
    for (Map.Entry<String, String> entry : values.entrySet()) {
      Settings.all().get(entry.getKey()).parse(entry.getValue());
    }
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /**
   * Returns the defaults overlaid by the given values, validated.
   *
   * @param values raw values by key; unknown keys are rejected
   * @return the config
   */
  public static JobConfig of(Map<String, String> values) {
    return ConfigResolver.resolve(values, Optional.empty());
  }

  /**
   * Returns a setting's value, or its default.
   *
   * @param setting the setting, which must have a default or be set
   * @param <T> the value type
   * @return the value
   */
  public <T> T get(Setting<T> setting) {
    return require(setting);
  }

  /**
   * Returns a setting's value if it is set or has a default.
   *
   * @param setting the setting
   * @param <T> the value type
   * @return the value, or empty
   */
  public <T> Optional<T> find(Setting<T> setting) {
    String raw = values.get(setting.key());
    return raw == null ? Optional.empty() : Optional.of(setting.parse(raw));
  }

  /**
   * Returns a required setting's value.
   *
   * @param setting the setting
   * @param <T> the value type
   * @return the value
   * @throws McrageException when the setting is neither given nor defaulted
   */
  public <T> T require(Setting<T> setting) {
    return find(setting)
        .orElseThrow(
            () ->
                new McrageException(
                    "Missing setting '" + setting.key() + "' (" + setting.help() + ")",
                    "Give it on the command line as --set "
                        + setting.key()
                        + "=... or in the --config file"));
  }

  /**
   * Returns a copy with some values replaced.
   *
   * @param overrides raw values by key
   * @return the new config
   */
  public JobConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new TreeMap<>(values);
    merged.putAll(overrides);
    return new JobConfig(merged);
  }

  /** Returns every resolved value as text, by key: what the run records in its manifest. */
  public Map<String, String> asMap() {
    return values;
  }

  @Override
  public String toString() {
    return "JobConfig" + values;
  }
}
