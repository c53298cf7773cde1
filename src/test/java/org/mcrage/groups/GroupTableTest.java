package org.mcrage.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcrage.config.McrageException;

class GroupTableTest {
  private final GroupIndex index =
      new GroupIndex(List.of("y", "sex"), List.of(List.of("in", "out"), List.of("F", "M")));

  @Test
  void largestGroupSetsTheTargetAndOthersGetTheirDeficit() {
    GroupTable table =
        GroupTable.fromCounts(index, Map.of(0, 50L, 1, 400L, 2, 90L, 3, 300L), 10, "error");

    assertThat(table.target()).isEqualTo(400);
    assertThat(table.groups())
        .extracting(GroupTable.Group::deficit)
        .containsExactly(350L, 0L, 310L, 100L);
    assertThat(table.groups().get(1).action()).isEqualTo(GroupTable.Action.TARGET);
    assertThat(table.totalDeficit()).isEqualTo(760);
    assertThat(table.render()).contains("phi", "deficit", "target", "fill");
  }

  @Test
  void oneAggregationGivesTheSameIndexAndCountsAsFittingThenCounting() {
    org.apache.spark.sql.SparkSession spark = org.mcrage.testing.SparkTestSession.get();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table =
        new org.mcrage.demo.EhrTableGenerator(spark, 5).generate(3000, 2);

    GroupTable once = GroupTable.fitAndCount(table, "diagnosis", List.of("sex"), 10, "error");
    GroupIndex index = GroupIndex.fit(table, "diagnosis", List.of("sex"));
    GroupTable twice =
        GroupTable.count(table.withColumn("phi", index.phiColumn()), "phi", index, 10, "error");

    assertThat(once.index()).isEqualTo(index);
    assertThat(once.groups()).isEqualTo(twice.groups());
    assertThat(once.realRows()).isEqualTo(3000);
  }

  @Test
  void emptyCombinationIsReportedAndLeftEmpty() {
    GroupTable table = GroupTable.fromCounts(index, Map.of(0, 50L, 1, 400L, 3, 300L), 10, "error");

    assertThat(table.groups().get(2).action()).isEqualTo(GroupTable.Action.EMPTY);
    assertThat(table.groups().get(2).deficit()).isZero();
    assertThat(table.emptyGroups()).hasSize(1);
  }

  @Test
  void smallGroupPolicyDecidesBetweenErrorSkipAndFill() {
    Map<Integer, Long> counts = Map.of(0, 5L, 1, 400L, 2, 90L, 3, 300L);

    assertThatThrownBy(() -> GroupTable.fromCounts(index, counts, 10, "error"))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("groups.min-size=10")
        .hasMessageContaining("y=in, sex=F (5 rows)")
        .hasMessageContaining("small-group-policy");
    assertThat(GroupTable.fromCounts(index, counts, 10, "skip").groups().get(0).action())
        .isEqualTo(GroupTable.Action.SKIP_SMALL);
    assertThat(GroupTable.fromCounts(index, counts, 10, "warn").groups().get(0).deficit())
        .isEqualTo(395);
  }
}
