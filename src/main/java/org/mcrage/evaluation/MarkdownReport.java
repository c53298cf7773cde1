package org.mcrage.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an evaluation report as the Markdown tables a reviewer reads first. */
public final class MarkdownReport {
  private static final List<String> SUMMARY_METRICS =
      List.of(
          BinaryMetrics.ACCURACY,
          BinaryMetrics.F1,
          BinaryMetrics.AUROC,
          BinaryMetrics.AUROC_HARD,
          Predictions.WORST_GROUP_ACCURACY,
          Predictions.EQUALIZED_ODDS,
          Predictions.DEMOGRAPHIC_PARITY);
  private static final List<String> SUMMARY_HEADERS =
      List.of(
          "accuracy",
          "F1",
          "AUROC",
          "AUROC (hard labels, as the paper)",
          "worst-group accuracy",
          "equalized odds diff.",
          "demographic parity diff.");
  private static final List<String> GROUP_METRICS =
      List.of(
          BinaryMetrics.ROWS,
          BinaryMetrics.ACCURACY,
          BinaryMetrics.F1,
          BinaryMetrics.AUROC,
          BinaryMetrics.TPR,
          BinaryMetrics.FPR);

  private MarkdownReport() {}

  /**
   * Renders the whole report.
   *
   * @param report the report
   * @return Markdown text
   */
  public static String render(EvaluationReport report) {
    StringBuilder text = new StringBuilder("# MCRAGE evaluation\n\n");
    text.append(protocol(report)).append('\n');
    text.append("## Summary: mean ± standard deviation over seeds (test split)\n\n");
    text.append(summaryTable(report)).append('\n');
    text.append(pairedTable(report)).append('\n');
    text.append(groupTable(report)).append('\n');
    text.append(fidelityTable(report));
    text.append(notes(report));
    return text.toString();
  }

  /**
   * Renders the summary table: one row per variant, mean ± std of the headline metrics.
   *
   * @param report the report
   * @return a Markdown table
   */
  public static String summaryTable(EvaluationReport report) {
    StringBuilder table = new StringBuilder("| variant | ");
    table.append(String.join(" | ", SUMMARY_HEADERS)).append(" |\n|---");
    table.append("|---".repeat(SUMMARY_HEADERS.size())).append("|\n");
    for (String variant : report.variants()) {
      table.append("| ").append(variant);
      for (String metric : SUMMARY_METRICS) {
        table
            .append(" | ")
            .append(number(report.at("variants", variant, "mean", metric)))
            .append(" ± ")
            .append(number(report.at("variants", variant, "std", metric)));
      }
      table.append(" |\n");
    }
    return table.toString();
  }

  private static String protocol(EvaluationReport report) {
    Map<?, ?> protocol = (Map<?, ?>) report.at("protocol");
    return String.format(
        Locale.ROOT,
        "Label %s (positive: %s), demographics %s; seeds %s; test share %s of every group;"
            + " training subsample '%s' (minority group %s); validation share %s of the"
            + " imbalanced training rows; random forest of %s trees, depth %s, %s rows per"
            + " leaf; SMOTE k = %s; MCRAGE %s epochs.%n",
        protocol.get("label"),
        protocol.get("positive_label"),
        protocol.get("demographics"),
        protocol.get("seeds"),
        protocol.get("evaluate.test-fraction"),
        protocol.get("subsample"),
        protocol.get("minority_group"),
        protocol.get("evaluate.validation-fraction"),
        protocol.get("evaluate.trees"),
        protocol.get("evaluate.max-depth"),
        protocol.get("evaluate.min-leaf-rows"),
        protocol.get("evaluate.smote-k"),
        protocol.get("model.epochs"));
  }

  private static String pairedTable(EvaluationReport report) {
    String minority = report.minorityGroup();
    StringBuilder table =
        new StringBuilder(
            "## Paired difference against imbalanced: mean [95% t-interval over seeds]\n\n");
    table.append(
        "| variant − imbalanced | Δ accuracy | Δ F1 | Δ AUROC | Δ accuracy "
            + minority
            + " | Δ AUROC "
            + minority
            + " | Δ equalized odds diff. | share of balanced gain recovered (AUROC / "
            + minority
            + " accuracy) |\n|---|---|---|---|---|---|---|---|\n");
    for (String variant : report.variants()) {
      if (variant.equals(EvaluationReport.BASELINE)) {
        continue;
      }
      String key = variant + "-" + EvaluationReport.BASELINE;
      table.append("| ").append(variant);
      for (String metric : List.of(BinaryMetrics.ACCURACY, BinaryMetrics.F1, BinaryMetrics.AUROC)) {
        table.append(" | ").append(interval(report.at("paired", key, metric)));
      }
      table
          .append(" | ")
          .append(interval(report.at("paired", key, "by_group", minority, "accuracy")));
      table.append(" | ").append(interval(report.at("paired", key, "by_group", minority, "auroc")));
      table.append(" | ").append(interval(report.at("paired", key, Predictions.EQUALIZED_ODDS)));
      table
          .append(" | ")
          .append(number(report.at("recovered_share", variant, "auroc")))
          .append(" / ")
          .append(number(report.at("recovered_share", variant, "minority_accuracy")))
          .append(" |\n");
    }
    return table.toString();
  }

  private static String groupTable(EvaluationReport report) {
    StringBuilder table =
        new StringBuilder(
            "## Per group: mean ± standard deviation over seeds\n\n| group | variant");
    GROUP_METRICS.forEach(metric -> table.append(" | ").append(metric));
    table.append(" |\n|---|---").append("|---".repeat(GROUP_METRICS.size())).append("|\n");
    for (String group : report.groups()) {
      for (String variant : report.variants()) {
        table.append("| ").append(group).append(" | ").append(variant);
        for (String metric : GROUP_METRICS) {
          if (metric.equals(BinaryMetrics.ROWS)) {
            Object rows = report.at("variants", variant, "by_group", group, "mean", metric);
            table
                .append(" | ")
                .append(rows instanceof Number n ? Math.round(n.doubleValue()) : "n/a");
            continue;
          }
          table
              .append(" | ")
              .append(number(report.at("variants", variant, "by_group", group, "mean", metric)))
              .append(" ± ")
              .append(number(report.at("variants", variant, "by_group", group, "std", metric)));
        }
        table.append(" |\n");
      }
    }
    return table.toString();
  }

  private static String notes(EvaluationReport report) {
    StringBuilder text = new StringBuilder("## Notes\n\n");
    text.append(
        "- AUROC uses the forest's predicted probabilities; 'AUROC (hard labels)' uses its 0/1"
            + " predictions, as the paper's notebook computed it.\n");
    text.append(
        "- Fairness summaries are over the intersectional demographic groups: worst-group"
            + " accuracy, equalized odds difference = max(largest TPR gap, largest FPR gap),"
            + " demographic parity difference = largest gap in the share predicted positive.\n");
    Object smote = report.at("smote_notes");
    if (smote instanceof List<?> notes && !notes.isEmpty()) {
      text.append("- SMOTE handled small groups specially:\n");
      notes.forEach(note -> text.append("  - ").append(note).append('\n'));
    }
    Object figures = report.at("figures");
    if (figures instanceof List<?> files) {
      text.append("\n## Figures\n\n");
      files.forEach(
          file -> text.append("![").append(file).append("](").append(file).append(")\n\n"));
    }
    return text.toString();
  }

  private static final List<String> FIDELITY_HEADERS =
      List.of(
          "synthetic rows",
          "mean abs. difference (real SDs)",
          "SD ratio",
          "max corr. diff.",
          "two-sample AUROC",
          "exact-copy rate",
          "median DCR synthetic",
          "median DCR held-out real");

  /**
   * Renders MCRAGE's fidelity and privacy per group (mean ± standard deviation over seeds), with a
   * last row averaging the minority's groups; empty when the report has none.
   *
   * @param report the report
   * @return a Markdown section, or an empty string
   */
  static String fidelityTable(EvaluationReport report) {
    if (!(report.at("fidelity", "groups") instanceof Map<?, ?> groups) || groups.isEmpty()) {
      return "";
    }
    StringBuilder table =
        new StringBuilder(
            "## Fidelity and privacy of MCRAGE's synthetic rows: mean ± standard deviation over"
                + " seeds\n\n");
    table.append(
        "Distribution statistics against the real rows the generator learned from; two-sample"
            + " AUROC (a random forest telling real from synthetic rows, 0.5: indistinguishable)"
            + " and held-out DCR against real rows it never saw.\n\n");
    table.append("| group | ").append(String.join(" | ", FIDELITY_HEADERS)).append(" |\n|---");
    table.append("|---".repeat(FIDELITY_HEADERS.size())).append("|\n");
    for (Object group : groups.keySet()) {
      table.append("| ").append(group);
      for (String metric : EvaluateJob.FIDELITY_METRICS) {
        Object mean = report.at("fidelity", "groups", (String) group, "mean", metric);
        Object std = report.at("fidelity", "groups", (String) group, "std", metric);
        table.append(" | ");
        if (metric.equals("synthetic_rows")) {
          table.append(whole(mean)).append(" ± ").append(whole(std));
        } else {
          table.append(number(mean)).append(" ± ").append(number(std));
        }
      }
      table.append(" |\n");
    }
    table.append("| ").append(report.minorityGroup()).append(" groups, mean");
    for (String metric : EvaluateJob.FIDELITY_METRICS) {
      Object value = report.at("fidelity", "minority", metric);
      table.append(" | ").append(metric.equals("synthetic_rows") ? whole(value) : number(value));
    }
    table.append(" |\n\n");
    return table.toString();
  }

  private static String interval(Object node) {
    if (!(node instanceof Map<?, ?> map)) {
      return "n/a";
    }
    double[] ci = (double[]) map.get("ci95");
    return signed(map.get("mean")) + " [" + signed(ci[0]) + ", " + signed(ci[1]) + "]";
  }

  private static String signed(Object value) {
    if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%+.3f", number.doubleValue());
  }

  private static String whole(Object value) {
    if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.0f", number.doubleValue());
  }

  private static String number(Object value) {
    if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.3f", number.doubleValue());
  }
}
