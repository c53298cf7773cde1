package org.mcrage.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.mcrage.testing.SparkTestSession;

/** groups.null-policy=level: a null demographic is an explicit, last 'missing' level. */
class MissingLevelTest {

  @Test
  void nullDemographicFormsTheMissingLevelAndMapsBackToNull() {
    Dataset<Row> table =
        SparkTestSession.get()
            .createDataset(Arrays.asList("F", "M", null, "M"), Encoders.STRING())
            .toDF("sex")
            .withColumn("y", org.apache.spark.sql.functions.lit("a"));

    GroupIndex index = GroupIndex.fit(table, "y", List.of("sex"), List.of("sex"));
    List<Integer> phis = table.select(index.phiColumn()).as(Encoders.INT()).collectAsList();

    assertThat(index.levels().get(1)).containsExactly("F", "M", GroupIndex.Missing.LEVEL);
    assertThat(phis).containsExactly(0, 1, 2, 1);
    assertThat(index.describe(2)).isEqualTo("y=a, sex=missing");
    assertThat(GroupIndex.columnValue(index.values(2).get(1))).isNull();
    assertThat(GroupIndex.fit(table, "y", List.of("sex")).levels().get(1)).hasSize(2);
  }
}
