package org.mcrage.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.groups.GroupIndex;
import org.mcrage.testing.SparkTestSession;

class StratifiedSplitTest {

  @Test
  void everyGroupIsOnBothSidesInTheSameShare() {
    Dataset<Row> table = new EhrTableGenerator(SparkTestSession.get(), 4).generate(1000, 2);
    GroupIndex index = GroupIndex.fit(table, "diagnosis", List.of("sex"));

    StratifiedSplit split = StratifiedSplit.of(table, index.phiColumn(), 0.2, 11);
    Map<Integer, Long> all = counts(table, index);
    Map<Integer, Long> held = counts(split.held(), index);
    Map<Integer, Long> rest = counts(split.rest(), index);

    assertThat(held.keySet()).isEqualTo(all.keySet());
    assertThat(rest.keySet()).isEqualTo(all.keySet());
    all.forEach(
        (phi, n) -> {
          assertThat(held.get(phi) + rest.get(phi)).isEqualTo(n);
          assertThat(held.get(phi)).isEqualTo(Math.round(n * 0.2));
        });
    assertThat(split.held().intersect(split.rest()).count()).isZero();
    split.release();
  }

  @Test
  void theSameSeedGivesTheSameSplit() {
    Dataset<Row> table = new EhrTableGenerator(SparkTestSession.get(), 4).generate(300, 2);
    GroupIndex index = GroupIndex.fit(table, "diagnosis", List.of("sex"));

    StratifiedSplit first = StratifiedSplit.of(table, index.phiColumn(), 0.3, 5);
    StratifiedSplit again = StratifiedSplit.of(table, index.phiColumn(), 0.3, 5);
    StratifiedSplit other = StratifiedSplit.of(table, index.phiColumn(), 0.3, 6);

    assertThat(first.held().except(again.held()).count()).isZero();
    assertThat(first.held().except(other.held()).count()).isPositive();
  }

  private static Map<Integer, Long> counts(Dataset<Row> rows, GroupIndex index) {
    return rows.groupBy(index.phiColumn().as("phi")).count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getInt(0), r -> r.getLong(1)));
  }
}
