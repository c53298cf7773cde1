package org.mcrage.encoding;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mcrage.config.McrageException;

/**
 * What kind of values a feature column holds, which decides how it is encoded for the diffusion
 * model and decoded back.
 *
 * <p>Kinds are inferred from the schema and the data (see {@link FeatureEncoder}) and can be
 * declared with the setting {@code column-kinds}, e.g. {@code
 * smoking:categorical,age:integer,creatinine:bounded[0,]}. A numeric kind may carry bounds {@code
 * [min,max]}; an open side is unbounded.
 */
public enum ColumnKind {
  /** Real numbers, standardised; generated values are clipped to the observed range. */
  CONTINUOUS,
  /** Whole numbers (counts, ages): standardised, clipped to the range, rounded. */
  INTEGER,
  /** Real numbers clipped to declared bounds (an open side: no bound), e.g. a non-negative lab. */
  BOUNDED,
  /** A few levels (text, booleans or small-cardinality integers): a one-hot block. */
  CATEGORICAL;

  /** The syntax of one declaration in the {@code column-kinds} setting. */
  public static final String SYNTAX =
      "COLUMN:KIND[,COLUMN:KIND...] with KIND continuous, integer, categorical or"
          + " bounded[MIN,MAX] (a side may be empty), e.g. age:integer,creatinine:bounded[0,]";

  private static final Pattern ENTRY =
      Pattern.compile(
          "\\s*([^:,\\[\\]]+?)\\s*:\\s*(continuous|integer|categorical|bounded)"
              + "\\s*(?:\\[\\s*(-?[0-9.eE+-]*)\\s*,\\s*(-?[0-9.eE+-]*)\\s*\\])?\\s*",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern SEPARATOR = Pattern.compile(",(?![^\\[]*\\])");

  /**
   * A declared kind with its bounds.
   *
   * @param kind the kind
   * @param lower the smallest value generated, or negative infinity (then the observed minimum
   *     unless the kind is bounded)
   * @param upper the largest value generated, or positive infinity (likewise)
   */
  public record Declared(ColumnKind kind, double lower, double upper) implements Serializable {}

  /**
   * Parses the {@code column-kinds} setting.
   *
   * @param text the setting's value; empty declares nothing
   * @return declared kinds by column, in the order given
   * @throws McrageException naming the malformed entry
   */
  public static Map<String, Declared> parse(String text) {
    Map<String, Declared> declared = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return declared;
    }
    for (String entry : SEPARATOR.split(text.trim())) {
      Matcher match = ENTRY.matcher(entry);
      if (!match.matches()) {
        throw new McrageException(
            "Cannot read setting 'column-kinds': entry '" + entry.trim() + "' is malformed",
            "Write it as " + SYNTAX);
      }
      ColumnKind kind = valueOf(match.group(2).toUpperCase(Locale.ROOT));
      double lower = bound(match.group(3), Double.NEGATIVE_INFINITY, entry);
      double upper = bound(match.group(4), Double.POSITIVE_INFINITY, entry);
      if (lower > upper || (kind == CATEGORICAL && match.group(3) != null)) {
        throw new McrageException(
            "Cannot read setting 'column-kinds': entry '" + entry.trim() + "' has invalid bounds",
            "Give bounds [MIN,MAX] with MIN <= MAX, and none for a categorical column");
      }
      declared.put(match.group(1), new Declared(kind, lower, upper));
    }
    return declared;
  }

  /**
   * Says whether text is a valid {@code column-kinds} value.
   *
   * @param text the value
   * @return true when {@link #parse} accepts it
   */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (McrageException e) {
      return false;
    }
  }

  private static double bound(String text, double open, String entry) {
    if (text == null || text.isEmpty()) {
      return open;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new McrageException(
          "Cannot read setting 'column-kinds': bound '" + text + "' in '" + entry.trim() + "'",
          "Write bounds as numbers, e.g. bounded[0,] or integer[0,120]");
    }
  }
}
