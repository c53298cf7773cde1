package org.mcrage.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcrage.config.JobConfig;

class EvaluationReportTest {

  /** AUROC and the accuracy of SEX=F by seed and variant (seeds 1 and 2). */
  private static final Map<String, double[][]> FIGURES =
      Map.of(
          "imbalanced", new double[][] {{0.80, 0.60}, {0.82, 0.62}},
          "mcrage", new double[][] {{0.81, 0.65}, {0.85, 0.64}},
          "balanced", new double[][] {{0.84, 0.70}, {0.86, 0.72}});

  private static EvaluationReport report() {
    List<EvaluateJob.SeedOutcome> outcomes = List.of(outcome(0, true), outcome(1, false));
    JobConfig config =
        JobConfig.of(
            Map.of("label", "y", "demographics", "SEX", "evaluate.subsample", "SEX=F:0.1"));
    return EvaluationReport.build(config, Map.of("label", "y"), outcomes);
  }

  private static EvaluateJob.SeedOutcome outcome(int seed, boolean withDensity) {
    Map<String, VariantOutcome> variants = new LinkedHashMap<>();
    for (String variant : List.of("imbalanced", "mcrage", "balanced")) {
      double[] figures = FIGURES.get(variant)[seed];
      Map<String, Double> overall = metrics(figures[0], 0.7);
      Map<String, Map<String, Double>> byGroup = new LinkedHashMap<>();
      byGroup.put("SEX=F", metrics(0.7, figures[1]));
      byGroup.put("SEX=M", metrics(0.9, 0.9));
      variants.put(
          variant,
          new VariantOutcome(
              overall, byGroup, Map.of(Predictions.TPR_GAP, Double.NaN), Map.of(), 100, 10, 1.0));
    }
    List<DensitySample> densities =
        withDensity
            ? List.of(
                new DensitySample(
                    "y=in, SEX=F",
                    List.of("AGE"),
                    new double[][] {{30, 40, 50, 60}},
                    new double[][] {{35, 45, 55}}))
            : List.of();
    Map<String, Map<String, Double>> fidelity = new LinkedHashMap<>();
    fidelity.put("y=in, SEX=F", fidelity(0.60 + 0.04 * seed, 0.05));
    fidelity.put("y=out, SEX=F", fidelity(0.70, Double.NaN));
    fidelity.put("y=in, SEX=M", fidelity(0.55, 0.0));
    return new EvaluateJob.SeedOutcome(
        seed + 1, variants, Map.of("test", 10L), List.of(), densities, fidelity);
  }

  /** Fidelity figures of one group: the given AUROC and mean difference, the rest fixed. */
  private static Map<String, Double> fidelity(double auroc, double meanDifference) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (String metric : EvaluateJob.FIDELITY_METRICS) {
      metrics.put(metric, 1.0);
    }
    metrics.put("two_sample_auroc", auroc);
    metrics.put("mean_abs_mean_difference_sd", meanDifference);
    return metrics;
  }

  private static Map<String, Double> metrics(double auroc, double accuracy) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(BinaryMetrics.ROWS, 10.0);
    metrics.put(BinaryMetrics.ACCURACY, accuracy);
    metrics.put(BinaryMetrics.F1, 0.5);
    metrics.put(BinaryMetrics.AUROC, auroc);
    metrics.put(BinaryMetrics.TPR, 0.5);
    metrics.put(BinaryMetrics.FPR, 0.1);
    return metrics;
  }

  @Test
  void pairsEachVariantWithImbalancedOnTheSameSeed() {
    EvaluationReport report = report();

    Map<?, ?> auroc = (Map<?, ?>) report.at("paired", "mcrage-imbalanced", "auroc");
    assertThat((Double) auroc.get("mean")).isCloseTo(0.02, within(1e-12));
    double[] ci = (double[]) auroc.get("ci95");
    // differences 0.01 and 0.03: std 0.01 * sqrt(2), half width t(0.975, 1) * std / sqrt(2)
    double half = 12.7062 * 0.01;
    assertThat(ci[0]).isCloseTo(0.02 - half, within(1e-3));
    assertThat(ci[1]).isCloseTo(0.02 + half, within(1e-3));
    assertThat((Double) report.at("variants", "mcrage", "mean", "auroc"))
        .isCloseTo(0.83, within(1e-12));
    assertThat((Double) report.at("variants", "mcrage", "by_group", "SEX=F", "mean", "accuracy"))
        .isCloseTo(0.645, within(1e-12));
  }

  @Test
  void recoveredShareIsTheVariantsGainOverTheBalancedControlsGain() {
    EvaluationReport report = report();

    assertThat(report.minorityGroup()).isEqualTo("SEX=F");
    assertThat((Double) report.at("recovered_share", "mcrage", "auroc"))
        .isCloseTo(0.02 / 0.04, within(1e-9));
    assertThat((Double) report.at("recovered_share", "mcrage", "minority_accuracy"))
        .isCloseTo(0.035 / 0.10, within(1e-9));
    assertThat((Double) report.at("recovered_share", "balanced", "auroc"))
        .isCloseTo(1.0, within(1e-9));
  }

  @Test
  void fidelityIsSummarisedPerGroupAndOverTheMinoritysGroups() {
    EvaluationReport report = report();

    assertThat((Double) report.at("fidelity", "groups", "y=in, SEX=F", "mean", "two_sample_auroc"))
        .isCloseTo(0.62, within(1e-12));
    assertThat((Double) report.at("fidelity", "groups", "y=in, SEX=F", "std", "two_sample_auroc"))
        .isCloseTo(0.04 / Math.sqrt(2), within(1e-9));
    assertThat(report.at("fidelity", "groups", "y=in, SEX=M", "minority")).isEqualTo(false);
    // the minority (SEX=F) groups over both seeds: AUROC 0.60, 0.64, 0.70, 0.70
    assertThat((Double) report.at("fidelity", "minority", "two_sample_auroc"))
        .isCloseTo(0.66, within(1e-12));
    assertThat((Double) report.at("fidelity", "minority", "mean_abs_mean_difference_sd"))
        .as("NaN values are left out")
        .isCloseTo(0.05, within(1e-12));
    assertThat(MarkdownReport.fidelityTable(report))
        .contains("| y=in, SEX=F | 1 ± 0 | 0.050 ± 0.000 |")
        .contains("| SEX=F groups, mean |")
        .contains("0.660");
  }

  @Test
  void writesJsonWithNullForUndefinedFiguresMarkdownAndCharts(@TempDir Path folder)
      throws Exception {
    new ReportWriter(folder).write(report());

    JsonNode json = new ObjectMapper().readTree(folder.resolve("report.json").toFile());
    assertThat(json.path("variants").path("mcrage").path("mean").path("tpr_gap").isNull()).isTrue();
    assertThat(json.path("paired").path("balanced-imbalanced").path("f1").path("ci95")).hasSize(2);
    assertThat(json.path("figures")).hasSize(4);
    assertThat(folder.resolve("density-y_in_SEX_F.png")).isNotEmptyFile();
    assertThat(Files.readString(folder.resolve("report.md")))
        .contains("| mcrage | 0.700 ± 0.000 | 0.500 ± 0.000 | 0.830 ± 0.028")
        .contains("+0.020 [");
  }
}
