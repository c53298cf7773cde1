package org.mcrage.diffusion;

import java.util.Arrays;
import java.util.List;

/**
 * What the denoiser is told about a row's group: each group (and the null group of classifier-free
 * guidance) is a row of a 0/1 matrix that multiplies the learned embedding table, so a group's
 * embedding is the sum of the table rows it sets.
 *
 * <ul>
 *   <li>{@code group} (one-hot): one table row per group and one for the null group; a group learns
 *       its embedding from its own rows only.
 *   <li>{@code factored} (multi-hot): one-hot group, then one-hot of each of its columns' levels
 *       (the label, then each demographic), then the null slot, so the embedding is E_group[phi] +
 *       E_label[label] + E_demo[value] + ... and a small group borrows the label and demographic
 *       effects learned from every row that shares them. The null group sets only the null slot.
 *       The groups' own rows of the table start at zero, so a group begins as the sum of its levels
 *       and learns only what its rows add.
 *   <li>{@code additive} (multi-hot without the group's own row): E_label[label] + E_demo[value] +
 *       ..., so no group has an embedding of its own; the network's nonlinearity still lets the
 *       levels interact, but a small group's samples are shaped by the levels it shares with large
 *       groups rather than by its few rows alone.
 * </ul>
 *
 * <p>Once trained, the table is folded into one embedding per group ({@link #fold}), so a saved
 * model and its sampling are the same for both kinds.
 */
public final class Conditioning {

  /** The kinds: one-hot per group, multi-hot of the group and its levels, and of its levels. */
  public static final List<String> KINDS = List.of("group", "factored", "additive");

  private final String kind;
  private final int numGroups;
  private final int columns;
  private final float[][] rows;

  private Conditioning(String kind, int numGroups, float[][] rows) {
    this.kind = kind;
    this.numGroups = numGroups;
    this.columns = rows[0].length;
    this.rows = rows;
  }

  /**
   * Returns the one-hot conditioning: group g sets column g, the null group column {@code
   * numGroups}.
   *
   * @param numGroups number of groups, at least 1
   */
  public static Conditioning perGroup(int numGroups) {
    if (numGroups < 1) {
      throw new IllegalArgumentException("numGroups must be >= 1 but was " + numGroups);
    }
    float[][] rows = new float[numGroups + 1][numGroups + 1];
    for (int g = 0; g <= numGroups; g++) {
      rows[g][g] = 1f;
    }
    return new Conditioning("group", numGroups, rows);
  }

  /**
   * Returns the factored conditioning of groups given by their level indices.
   *
   * @param digits for each group phi, the level index of each column (label first), as {@code
   *     GroupIndex.digits(phi)} gives them
   * @param levelCounts the number of levels of each column
   */
  public static Conditioning factored(int[][] digits, int[] levelCounts) {
    return multiHot("factored", digits, levelCounts, true);
  }

  /**
   * Returns the additive conditioning of groups given by their level indices: each group sets one
   * table row per column level and none of its own.
   *
   * @param digits for each group phi, the level index of each column (label first)
   * @param levelCounts the number of levels of each column
   */
  public static Conditioning additive(int[][] digits, int[] levelCounts) {
    return multiHot("additive", digits, levelCounts, false);
  }

  /**
   * Builds a multi-hot conditioning: optionally a one-hot block of the groups' own rows, then one
   * block per column's levels, then the null slot, which alone the null group sets.
   */
  private static Conditioning multiHot(
      String kind, int[][] digits, int[] levelCounts, boolean groupOwnRows) {
    int numGroups = digits.length;
    if (numGroups < 1) {
      throw new IllegalArgumentException(kind + " conditioning needs at least one group");
    }
    int offset = groupOwnRows ? numGroups : 0;
    int width = offset + Arrays.stream(levelCounts).sum() + 1;
    float[][] rows = new float[numGroups + 1][width];
    for (int phi = 0; phi < numGroups; phi++) {
      if (groupOwnRows) {
        rows[phi][phi] = 1f;
      }
      setLevels(rows[phi], digits[phi], levelCounts, offset);
    }
    rows[numGroups][width - 1] = 1f;
    return new Conditioning(kind, numGroups, rows);
  }

  private static void setLevels(float[] row, int[] digits, int[] levelCounts, int offset) {
    if (digits.length != levelCounts.length) {
      throw new IllegalArgumentException(
          "each group needs one level index per column: got "
              + digits.length
              + " for "
              + levelCounts.length
              + " columns");
    }
    int start = offset;
    for (int c = 0; c < digits.length; c++) {
      if (digits[c] < 0 || digits[c] >= levelCounts[c]) {
        throw new IllegalArgumentException(
            "level index " + digits[c] + " of column " + c + " is outside [0, " + levelCounts[c]);
      }
      row[start + digits[c]] = 1f;
      start += levelCounts[c];
    }
  }

  /** Returns {@code group}, {@code factored} or {@code additive}. */
  public String kind() {
    return kind;
  }

  /** Returns the number of real groups; group {@code numGroups()} is the null group. */
  public int numGroups() {
    return numGroups;
  }

  /** Returns the rows of the embedding table: the width of a conditioning vector. */
  public int columns() {
    return columns;
  }

  /**
   * Returns how many leading table rows belong to one group each in a multi-hot conditioning (they
   * start at zero); 0 for the one-hot conditioning, whose rows all start random, and for the
   * additive one, which has none.
   */
  int groupOwnRows() {
    return "factored".equals(kind) ? numGroups : 0;
  }

  /** Returns whether this is the one-hot conditioning, whose table needs no folding. */
  boolean isPerGroup() {
    return "group".equals(kind);
  }

  /**
   * Copies group g's conditioning vector into {@code target} at {@code offset}.
   *
   * @param group a group in [0, numGroups], numGroups being the null group
   */
  void copyRow(int group, float[] target, int offset) {
    System.arraycopy(rows[group], 0, target, offset, columns);
  }

  /**
   * Returns one embedding per group (null group last): the conditioning matrix times the table.
   *
   * @param table the embedding table, row-major [columns, dim]
   * @param dim the embedding size
   * @return the folded table, row-major [numGroups + 1, dim]; the table itself when one-hot
   */
  float[] fold(float[] table, int dim) {
    if (isPerGroup()) {
      return table;
    }
    float[] folded = new float[(numGroups + 1) * dim];
    for (int g = 0; g <= numGroups; g++) {
      for (int c = 0; c < columns; c++) {
        if (rows[g][c] != 0f) {
          for (int d = 0; d < dim; d++) {
            folded[g * dim + d] += rows[g][c] * table[c * dim + d];
          }
        }
      }
    }
    return folded;
  }

  /** Returns the matrix's values row by row, for a checkpoint's fingerprint. */
  float[] values() {
    float[] values = new float[rows.length * columns];
    for (int g = 0; g < rows.length; g++) {
      System.arraycopy(rows[g], 0, values, g * columns, columns);
    }
    return values;
  }
}
