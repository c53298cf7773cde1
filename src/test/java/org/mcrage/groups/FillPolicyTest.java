package org.mcrage.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcrage.config.McrageException;

class FillPolicyTest {
  private final GroupIndex index =
      new GroupIndex(List.of("y", "sex"), List.of(List.of("a", "b", "c"), List.of("F", "M")));
  private final Map<Integer, Long> counts = Map.of(0, 50L, 1, 400L, 2, 90L, 3, 300L, 4, 20L);

  @Test
  void ratioFillsUpToAShareOfTheMajority() {
    GroupTable table = table(FillPolicy.parse("ratio:0.5", 0));

    assertThat(table.groups())
        .extracting(GroupTable.Group::deficit)
        .containsExactly(150L, 0L, 110L, 0L, 180L, 0L);
    assertThat(table.groups().get(3).action()).isEqualTo(GroupTable.Action.AT_TARGET);
    assertThat(table.groups().get(5).action()).isEqualTo(GroupTable.Action.EMPTY);
  }

  @Test
  void labelFillsEachGroupUpToTheLargestGroupOfItsLabel() {
    GroupTable table = table(FillPolicy.parse("label", 0));

    assertThat(table.groups())
        .extracting(GroupTable.Group::deficit)
        .containsExactly(350L, 0L, 210L, 0L, 0L, 0L);
    assertThat(table.groups().get(3).action()).isEqualTo(GroupTable.Action.AT_TARGET);
    assertThat(table.groups().get(4).action()).isEqualTo(GroupTable.Action.AT_TARGET);
    assertThat(FillPolicy.parse("label", 0).describe()).isEqualTo("label");
  }

  @Test
  void demographicFillsEachDemographicUpToTheLargestKeepingItsLabelMix() {
    // F: 50 + 90 + 20 = 160 rows, M: 700; each F group is scaled by 700 / 160 = 4.375.
    GroupTable table = table(FillPolicy.parse("demographic", 0));

    assertThat(table.groups())
        .extracting(GroupTable.Group::deficit)
        .containsExactly(169L, 0L, 304L, 0L, 68L, 0L);
    long filledF = 50 + 169 + 90 + 304 + 20 + 68;
    assertThat(filledF).as("F reaches M's 700 rows, up to rounding").isBetween(700L, 703L);
    assertThat((50.0 + 169) / filledF)
        .as("label a's share of F kept")
        .isCloseTo(50.0 / 160, within(0.005));
    assertThat(table.groups().get(1).action()).isEqualTo(GroupTable.Action.TARGET);
    assertThat(table.groups().get(3).action()).isEqualTo(GroupTable.Action.AT_TARGET);
    assertThat(table.groups().get(5).action()).isEqualTo(GroupTable.Action.EMPTY);
    assertThat(FillPolicy.parse("demographic", 0).describe()).isEqualTo("demographic");
  }

  @Test
  void demographicFillWithoutADemographicColumnIsAnErrorNamingTheSetting() {
    GroupIndex labelOnly = new GroupIndex(List.of("y"), List.of(List.of("a", "b")));

    assertThatThrownBy(
            () ->
                GroupTable.fromCounts(
                    labelOnly,
                    Map.of(0, 10L, 1, 30L),
                    1,
                    "error",
                    FillPolicy.parse("demographic", 0)))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("groups.fill")
        .hasMessageContaining("no demographic column");
  }

  @Test
  void explicitTableFillsOnlyTheListedGroups() {
    GroupTable table = table(FillPolicy.parse("table:0=100,3=250,4=30", 0));

    assertThat(table.groups())
        .extracting(GroupTable.Group::deficit)
        .containsExactly(50L, 0L, 0L, 0L, 10L, 0L);
    assertThat(table.groups().get(2).action()).isEqualTo(GroupTable.Action.AT_TARGET);
  }

  @Test
  void capLimitsSyntheticRowsPerRealRow() {
    GroupTable table = table(FillPolicy.parse("majority", 2.0));

    assertThat(table.groups())
        .extracting(GroupTable.Group::deficit)
        .containsExactly(100L, 0L, 180L, 100L, 40L, 0L);
    assertThat(table.groups().get(0).action()).isEqualTo(GroupTable.Action.FILL_CAPPED);
    assertThat(table.groups().get(3).action()).isEqualTo(GroupTable.Action.FILL);
    assertThat(table.render()).contains("fill_capped");
  }

  @Test
  void malformedFillIsAUserError() {
    assertThatThrownBy(() -> FillPolicy.parse("ratio:-1", 0))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("groups.fill");
    assertThat(FillPolicy.isValid("table:0=x")).isFalse();
  }

  private GroupTable table(FillPolicy fill) {
    return GroupTable.fromCounts(index, counts, 10, "error", fill);
  }
}
