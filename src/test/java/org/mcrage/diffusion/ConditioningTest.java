package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConditioningTest {

  /** Two labels by three levels of one demographic: phi = 3 label + level. */
  private static Conditioning twoByThree() {
    int[][] digits = new int[6][];
    for (int phi = 0; phi < 6; phi++) {
      digits[phi] = new int[] {phi / 3, phi % 3};
    }
    return Conditioning.factored(digits, new int[] {2, 3});
  }

  private static float[] row(Conditioning conditioning, int group) {
    float[] row = new float[conditioning.columns()];
    conditioning.copyRow(group, row, 0);
    return row;
  }

  @Test
  void perGroupConditioningIsOneHotWithTheNullGroupLast() {
    Conditioning conditioning = Conditioning.perGroup(3);

    assertThat(conditioning.columns()).isEqualTo(4);
    assertThat(row(conditioning, 1)).containsExactly(0f, 1f, 0f, 0f);
    assertThat(row(conditioning, 3)).containsExactly(0f, 0f, 0f, 1f);
  }

  @Test
  void factoredConditioningSetsTheGroupItsLevelsAndNothingElse() {
    Conditioning conditioning = twoByThree();

    assertThat(conditioning.columns()).as("6 groups, 2 labels, 3 levels, null").isEqualTo(12);
    assertThat(row(conditioning, 5))
        .as("group 5 = label 1, level 2")
        .containsExactly(0f, 0f, 0f, 0f, 0f, 1f, 0f, 1f, 0f, 0f, 1f, 0f);
    assertThat(row(conditioning, 6))
        .as("null group: the null slot alone")
        .containsExactly(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f);
  }

  @Test
  void additiveConditioningSetsTheLevelsOnlyAndFoldsToTheirSum() {
    int[][] digits = new int[6][];
    for (int phi = 0; phi < 6; phi++) {
      digits[phi] = new int[] {phi / 3, phi % 3};
    }
    Conditioning conditioning = Conditioning.additive(digits, new int[] {2, 3});
    float[] table = new float[6 * 2];
    for (int c = 0; c < 6; c++) {
      table[2 * c] = c;
      table[2 * c + 1] = 100 * c;
    }

    assertThat(conditioning.columns()).as("2 labels, 3 levels, null").isEqualTo(6);
    assertThat(row(conditioning, 5)).containsExactly(0f, 1f, 0f, 0f, 1f, 0f);
    assertThat(row(conditioning, 6)).containsExactly(0f, 0f, 0f, 0f, 0f, 1f);
    assertThat(conditioning.groupOwnRows()).isZero();
    float[] folded = conditioning.fold(table, 2);
    assertThat(folded[2 * 5]).as("rows 1 + 4").isEqualTo(5f);
    assertThat(folded[2 * 2]).as("group 2 = label 0, level 2: rows 0 + 4").isEqualTo(4f);
    assertThat(folded[2 * 5 + 1]).isEqualTo(500f);
  }

  @Test
  void foldingSumsTheTableRowsEachGroupSets() {
    Conditioning conditioning = twoByThree();
    float[] table = new float[12 * 2];
    for (int c = 0; c < 12; c++) {
      table[2 * c] = c;
      table[2 * c + 1] = 100 * c;
    }

    float[] folded = conditioning.fold(table, 2);

    assertThat(folded).hasSize(7 * 2);
    assertThat(folded[2 * 5]).as("rows 5 + 7 + 10").isEqualTo(22f);
    assertThat(folded[2 * 5 + 1]).isEqualTo(2200f);
    assertThat(folded[2 * 6]).as("null row 11").isEqualTo(11f);
  }

  @Test
  void foldingOneHotConditioningReturnsTheTableUnchanged() {
    float[] table = {1f, 2f, 3f, 4f, 5f, 6f};

    assertThat(Conditioning.perGroup(2).fold(table, 2)).isSameAs(table);
  }

  @Test
  void levelIndexOutsideItsColumnIsRefused() {
    assertThatThrownBy(() -> Conditioning.factored(new int[][] {{0}, {2}}, new int[] {2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level index 2 of column 0 is outside [0, 2");
  }
}
