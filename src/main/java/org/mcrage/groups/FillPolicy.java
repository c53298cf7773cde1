package org.mcrage.groups;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mcrage.config.JobConfig;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;

/**
 * How many rows each group is filled up to, and a cap on synthetic rows per real row.
 *
 * <p>{@code majority} (the paper's choice) fills every group up to the largest; {@code label} fills
 * every group up to the largest group with the same label, so each demographic group ends with the
 * label mix of the best-represented one instead of an even one; {@code demographic} fills each
 * demographic combination up to the rows of the largest one while keeping its own label mix (group
 * (y, d) up to count(y, d) x N_max / N_d), so rebalancing changes who is represented but not the
 * label rate the classifier learns for them; {@code ratio:R} fills up to R times the largest;
 * {@code table:PHI=N,...} gives each listed group its own target and leaves the groups not listed
 * as they are. With a cap c &gt; 0, a group of n real rows gets at most floor(c x n) synthetic
 * rows, so small groups are not drowned in generated rows.
 *
 * @param ratio the share of the majority to fill up to (1 for majority; unused for a table)
 * @param targets the target of each listed group by phi, or null when not a table
 * @param maxSyntheticPerReal the cap on synthetic rows per real row; 0 for none
 * @param scope which groups' largest sets a group's target: all groups, or those of its label
 */
public record FillPolicy(
    double ratio, Map<Integer, Long> targets, double maxSyntheticPerReal, Scope scope) {

  /** Which groups a group's target is taken from. */
  public enum Scope {
    /** The largest of all groups. */
    ALL,
    /** The largest group with the same label. */
    LABEL,
    /** The largest demographic combination (all labels), keeping the group's own label mix. */
    DEMOGRAPHIC
  }

  /** A policy over all groups. */
  public FillPolicy(double ratio, Map<Integer, Long> targets, double maxSyntheticPerReal) {
    this(ratio, targets, maxSyntheticPerReal, Scope.ALL);
  }

  /** The syntax of the {@code groups.fill} setting. */
  public static final String SYNTAX =
      "majority, label, demographic, ratio:R with R > 0 (e.g. ratio:0.5),"
          + " or table:PHI=ROWS,... (e.g. table:0=100,3=250)";

  /** Fill every group up to the majority, with no cap. */
  public static final FillPolicy MAJORITY = new FillPolicy(1.0, null, 0);

  /**
   * The fill policy a job's settings ask for: {@code groups.fill} and {@code
   * groups.max-synthetic-per-real}.
   *
   * @param config the job's settings
   * @return the policy
   */
  public static FillPolicy of(JobConfig config) {
    return parse(config.get(Settings.FILL), config.get(Settings.MAX_SYNTHETIC_PER_REAL));
  }

  /**
   * Parses a policy.
   *
   * @param fill the {@code groups.fill} value
   * @param maxSyntheticPerReal the {@code groups.max-synthetic-per-real} value (0: no cap)
   * @return the policy
   * @throws McrageException naming the setting when the value is malformed
   */
  public static FillPolicy parse(String fill, double maxSyntheticPerReal) {
    String text = fill.trim();
    try {
      if (text.equalsIgnoreCase("majority")) {
        return new FillPolicy(1.0, null, maxSyntheticPerReal);
      }
      if (text.equalsIgnoreCase("label")) {
        return new FillPolicy(1.0, null, maxSyntheticPerReal, Scope.LABEL);
      }
      if (text.equalsIgnoreCase("demographic")) {
        return new FillPolicy(1.0, null, maxSyntheticPerReal, Scope.DEMOGRAPHIC);
      }
      if (text.startsWith("ratio:")) {
        double ratio = Double.parseDouble(text.substring("ratio:".length()).trim());
        if (ratio > 0 && Double.isFinite(ratio)) {
          return new FillPolicy(ratio, null, maxSyntheticPerReal);
        }
      } else if (text.startsWith("table:")) {
        return new FillPolicy(1.0, table(text.substring("table:".length())), maxSyntheticPerReal);
      }
    } catch (RuntimeException e) {
      // Reported below with the syntax.
    }
    throw new McrageException(
        "Cannot read setting 'groups.fill': value '" + fill + "' is not valid",
        "Set 'groups.fill' to " + SYNTAX);
  }

  /**
   * Says whether text is a valid {@code groups.fill} value.
   *
   * @param fill the value
   * @return true when {@link #parse} accepts it
   */
  public static boolean isValid(String fill) {
    try {
      parse(fill, 0);
      return true;
    } catch (McrageException e) {
      return false;
    }
  }

  private static Map<Integer, Long> table(String entries) {
    Map<Integer, Long> targets = new LinkedHashMap<>();
    for (String entry : entries.split(",")) {
      String[] parts = entry.split("=");
      int phi = Integer.parseInt(parts[0].trim());
      long rows = Long.parseLong(parts[1].trim());
      if (parts.length != 2 || phi < 0 || rows < 0) {
        throw new IllegalArgumentException(entry);
      }
      targets.put(phi, rows);
    }
    return Map.copyOf(targets);
  }

  /**
   * Returns the rows a group is filled up to, before the cap.
   *
   * @param phi the group
   * @param count its real rows
   * @param majority the real rows of the largest group in the policy's {@link #scope} (for {@code
   *     demographic}: the group's rows scaled by the largest demographic total over its own)
   * @return the target, at least the count
   */
  public long target(int phi, long count, long majority) {
    long target =
        targets == null ? (long) Math.ceil(ratio * majority) : targets.getOrDefault(phi, count);
    return Math.max(count, target);
  }

  /**
   * Returns the most synthetic rows a group may get.
   *
   * @param count its real rows
   * @return the cap, or {@link Long#MAX_VALUE} without one
   */
  public long cap(long count) {
    return maxSyntheticPerReal > 0
        ? (long) Math.floor(maxSyntheticPerReal * count)
        : Long.MAX_VALUE;
  }

  /**
   * Describes the policy for logs and the group table.
   *
   * @return e.g. {@code ratio:0.5, at most 3.0 synthetic per real row}
   */
  public String describe() {
    String fill =
        targets != null
            ? "table " + targets
            : scope == Scope.LABEL
                ? "label"
                : scope == Scope.DEMOGRAPHIC
                    ? "demographic"
                    : ratio == 1.0 ? "majority" : "ratio:" + ratio;
    return maxSyntheticPerReal > 0
        ? fill + ", at most " + maxSyntheticPerReal + " synthetic per real row"
        : fill;
  }
}
