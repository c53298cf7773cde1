package org.mcrage.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.cli.Main;
import org.mcrage.config.Settings;
import org.mcrage.demo.EhrTableGenerator;
import org.mcrage.testing.SparkTestSession;

class EvaluateJobTest {
  private static final List<String> VARIANTS = Settings.EVALUATE_VARIANT_NAMES;

  @Test
  void evaluateWritesAReportWithEveryVariantAndPerGroupMetrics(@TempDir Path folder)
      throws Exception {
    Path input = folder.resolve("ehr");
    new EhrTableGenerator(SparkTestSession.get(), 21)
        .generate(2000, 2)
        .write()
        .parquet(input.toString());
    Path report = folder.resolve("report");

    int status =
        Main.execute(
            "evaluate",
            "--input=" + input,
            "--format=parquet",
            "--label=diagnosis",
            "--demographics=sex",
            "--subsample=sex=F:0.3",
            "--seeds=2",
            "--report-dir=" + report,
            "--epochs=2",
            "--set=model.hidden-width=16",
            "--set=model.steps=20",
            "--set=groups.min-size=2",
            "--set=evaluate.trees=3",
            "--set=evaluate.max-depth=4",
            "--set=evaluate.positive-label=positive",
            "--set=evaluate.variants=" + String.join(",", VARIANTS),
            "--set=spark.master=local[2]");

    assertThat(status).isZero();
    assertThat(report.resolve("report.md")).exists();
    assertThat(report.resolve("groups-auroc.png")).exists();
    assertThat(report.resolve("density-diagnosis_positive_sex_F.png")).exists();
    JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
    for (String variant : VARIANTS) {
      JsonNode node = json.path("variants").path(variant);
      for (String metric : List.of("accuracy", "f1", "auroc")) {
        assertThat(node.path("mean").path(metric).isNumber()).as(variant + " " + metric).isTrue();
        assertThat(node.path("std").path(metric).isNumber()).as(variant + " std").isTrue();
      }
      for (String metric : List.of("accuracy", "f1", "auroc", "tpr", "fpr")) {
        assertThat(node.path("by_group").path("sex=F").path("mean").path(metric).isNumber())
            .as(variant + " sex=F " + metric)
            .isTrue();
      }
      assertThat(node.path("per_seed")).hasSize(2);
    }
    for (String variant : VARIANTS.subList(1, VARIANTS.size())) {
      JsonNode paired = json.path("paired").path(variant + "-imbalanced").path("f1");
      assertThat(paired.path("mean").isNumber()).isTrue();
      assertThat(paired.path("ci95")).hasSize(2);
    }
    assertThat(json.path("variants").path("mcrage").path("added_rows").asDouble()).isPositive();
    double balancedRows = json.path("variants").path("balanced").path("training_rows").asDouble();
    double imbalancedRows =
        json.path("variants").path("imbalanced").path("training_rows").asDouble();
    for (String oracle : List.of("oracle_mean", "oracle_shape")) {
      JsonNode node = json.path("variants").path(oracle);
      assertThat(node.path("training_rows").asDouble())
          .as(oracle + ": the balanced control's rows, the dropped ones moved")
          .isEqualTo(balancedRows);
      assertThat(node.path("added_rows").asDouble()).isEqualTo(balancedRows - imbalancedRows);
    }
    assertThat(json.path("protocol").path("minority_group").asText()).isEqualTo("sex=F");
    String markdown = Files.readString(report.resolve("report.md"));
    assertThat(markdown).contains("| mcrage |").contains("sex=F").contains("share of balanced");
    JsonNode fidelity = json.path("fidelity");
    assertThat(fidelity.path("groups").size()).as("a fidelity entry per filled group").isPositive();
    fidelity
        .path("groups")
        .fields()
        .forEachRemaining(
            group -> {
              double auroc = group.getValue().path("mean").path("two_sample_auroc").asDouble();
              assertThat(auroc).as(group.getKey() + " AUROC").isBetween(0.0, 1.0);
              assertThat(group.getValue().path("mean").path("exact_copy_rate").asDouble())
                  .as(group.getKey() + " exact copies")
                  .isZero();
            });
    assertThat(fidelity.path("minority").path("median_dcr_held_out").isNumber()).isTrue();
    assertThat(markdown).contains("Fidelity and privacy of MCRAGE's synthetic rows");
    assertThat(json.path("figures").size())
        .as("three group bar charts and one density figure per group MCRAGE filled")
        .isEqualTo(3 + 3);
  }
}
