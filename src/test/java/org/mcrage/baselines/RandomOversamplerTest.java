package org.mcrage.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.mcrage.config.JobConfig;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.groups.FillPolicy;
import org.mcrage.groups.GroupIndex;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.ColumnRoles;
import org.mcrage.testing.SparkTestSession;

class RandomOversamplerTest {

  private static ColumnRoles roles(Dataset<Row> table) {
    return ColumnRoles.resolve(
        table.schema(),
        JobConfig.of(
            Map.of(
                "label", "diagnosis",
                "demographics", "sex",
                "features", "age,haemoglobin,haematocrit,wbc,platelets,creatinine,glucose")));
  }

  @Test
  void fillsEveryGroupToTheLargestWithCopiesOfItsOwnRows() {
    Dataset<Row> table = new EhrTableGenerator(SparkTestSession.get(), 3).generate(600, 2);
    ColumnRoles roles = roles(table);
    GroupIndex index = GroupIndex.fit(table, "diagnosis", List.of("sex"));

    OversampledRows result =
        new RandomOversampler(SparkTestSession.get(), 1, "r").oversample(table, roles, index);

    Map<Integer, Long> counts =
        result.all().groupBy(LineageColumns.GROUP).count().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getInt(0), r -> r.getLong(1)));
    assertThat(counts.values()).containsOnly(result.groups().target());
    List<String> features = roles.features();
    Dataset<Row> copies = result.synthetic().select("diagnosis", features.toArray(new String[0]));
    Dataset<Row> originals = table.select("diagnosis", features.toArray(new String[0]));
    assertThat(copies.except(originals).count()).isZero();
    assertThat(result.synthetic().where("encounter_id is not null").count()).isZero();
    assertThat(result.synthetic().where("not mcrage_synthetic").count()).isZero();
  }

  @Test
  void followsTheFillPolicyOfTheMcrageRun() {
    Dataset<Row> table = new EhrTableGenerator(SparkTestSession.get(), 4).generate(600, 2);
    ColumnRoles roles = roles(table);
    GroupIndex index = GroupIndex.fit(table, "diagnosis", List.of("sex"));
    FillPolicy byLabel = FillPolicy.parse("label", 0);

    OversampledRows result =
        new RandomOversampler(SparkTestSession.get(), 1, "r")
            .oversample(table, roles, index, byLabel);

    Map<Integer, Long> counts =
        result.all().groupBy(LineageColumns.GROUP).count().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getInt(0), r -> r.getLong(1)));
    for (int label = 0; label < index.levels().get(0).size(); label++) {
      final int wanted = label;
      List<Long> ofLabel =
          counts.entrySet().stream()
              .filter(entry -> index.digits(entry.getKey())[0] == wanted)
              .map(Map.Entry::getValue)
              .distinct()
              .toList();
      assertThat(ofLabel).as("label %d", label).hasSize(1);
    }
    assertThat(counts.values().stream().distinct().count()).isGreaterThan(1);
    assertThat(result.synthetic().count()).isEqualTo(result.groups().totalDeficit());
  }
}
