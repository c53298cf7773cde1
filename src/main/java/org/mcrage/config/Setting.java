package org.mcrage.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration setting, declared once: its key, default, parser, validation and help line.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {
  private final String key;
  private final String defaultValue;
  private final Function<String, T> parser;
  private final Predicate<T> validator;
  private final String expectation;
  private final String help;

  private Setting(
      String key,
      String defaultValue,
      Function<String, T> parser,
      Predicate<T> validator,
      String expectation,
      String help) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.validator = validator;
    this.expectation = expectation;
    this.help = help;
  }

  /**
   * Declares a setting.
   *
   * @param key the dotted key, as written in a {@code conf/} file or after {@code --set}
   * @param defaultValue the default as text, or {@code null} when the setting has none
   * @param parser turns the text into a value; throws on malformed text
   * @param validator accepts the legal values
   * @param expectation what a legal value looks like, for error messages (e.g. "an integer >= 1")
   * @param help one line of help
   * @param <T> the value type
   * @return the setting
   */
  public static <T> Setting<T> of(
      String key,
      String defaultValue,
      Function<String, T> parser,
      Predicate<T> validator,
      String expectation,
      String help) {
    return new Setting<>(key, defaultValue, parser, validator, expectation, help);
  }

  /** Returns the dotted key. */
  public String key() {
    return key;
  }

  /** Returns the default as text, or {@code null} when there is none. */
  public String defaultValue() {
    return defaultValue;
  }

  /** Returns the one-line help. */
  public String help() {
    return help;
  }

  /** Returns a description of the legal values. */
  public String expectation() {
    return expectation;
  }

  /**
   * Parses and validates a raw value.
   *
   * @param raw the text from the command line, a file or the default
   * @return the value
   * @throws McrageException naming this key and the value when it is malformed or out of range
   */
  public T parse(String raw) {
    Objects.requireNonNull(raw, "raw");
    T value;
    try {
      value = parser.apply(raw.trim());
    } catch (RuntimeException e) {
      throw new McrageException(
          "Cannot read setting '" + key + "': value '" + raw + "' is not " + expectation,
          "Set '" + key + "' to " + expectation + " (" + help + ")");
    }
    if (!validator.test(value)) {
      throw new McrageException(
          "Invalid setting '" + key + "': value '" + raw + "' is out of range",
          "Set '" + key + "' to " + expectation + " (" + help + ")");
    }
    return value;
  }
}
