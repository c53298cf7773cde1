package org.mcrage.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;

/**
 * The evaluation's figures across seeds: per variant the mean and standard deviation of every
 * metric, overall and per group; per variant the paired difference against {@code imbalanced} with
 * a 95% t-interval; and the share of the balanced control's gain each variant recovers.
 *
 * @param content the report as nested maps, lists, numbers and text (what report.json holds)
 * @param outcomes the per-seed outcomes it was built from
 * @param variants the variant names, in run order
 * @param groups the group labels, in report order
 * @param minorityGroup the label of the minority group (the subsampled one, else the smallest)
 */
public record EvaluationReport(
    Map<String, Object> content,
    List<EvaluateJob.SeedOutcome> outcomes,
    List<String> variants,
    List<String> groups,
    String minorityGroup) {

  /** The variant every other one is compared with. */
  public static final String BASELINE = "imbalanced";

  /** The control whose gain the other variants are measured against. */
  public static final String CONTROL = "balanced";

  /** The paired-difference metrics. */
  static final List<String> PAIRED_METRICS =
      List.of(
          BinaryMetrics.ACCURACY,
          BinaryMetrics.F1,
          BinaryMetrics.AUROC,
          BinaryMetrics.AUROC_HARD,
          BinaryMetrics.TPR,
          BinaryMetrics.FPR,
          Predictions.WORST_GROUP_ACCURACY,
          Predictions.EQUALIZED_ODDS,
          Predictions.DEMOGRAPHIC_PARITY);

  /**
   * Builds the report.
   *
   * @param config the run's settings
   * @param protocol the label, positive label and columns
   * @param outcomes one outcome per seed
   * @return the report
   */
  public static EvaluationReport build(
      JobConfig config, Map<String, Object> protocol, List<EvaluateJob.SeedOutcome> outcomes) {
    List<String> variants = new ArrayList<>(outcomes.get(0).variants().keySet());
    Set<String> groupSet = new LinkedHashSet<>();
    outcomes.forEach(
        o -> o.variants().values().forEach(v -> groupSet.addAll(v.byGroup().keySet())));
    List<String> groups = new ArrayList<>(groupSet);
    String minority = minorityGroup(config, outcomes, groups);

    Map<String, Object> content = new LinkedHashMap<>();
    content.put("protocol", protocol(config, protocol, outcomes, minority));
    Map<String, Object> variantSection = new LinkedHashMap<>();
    for (String variant : variants) {
      variantSection.put(variant, variant(outcomes, variant, groups));
    }
    content.put("variants", variantSection);
    Map<String, Object> paired = new LinkedHashMap<>();
    for (String variant : variants) {
      if (!variant.equals(BASELINE)) {
        paired.put(variant + "-" + BASELINE, paired(outcomes, variant, groups));
      }
    }
    content.put("paired", paired);
    content.put("recovered_share", recovered(outcomes, variants, minority));
    content.put("smote_notes", smoteNotes(outcomes));
    Map<String, Object> fidelity = fidelity(outcomes, minority);
    if (!fidelity.isEmpty()) {
      content.put("fidelity", fidelity);
    }
    return new EvaluationReport(content, outcomes, variants, groups, minority);
  }

  private static Map<String, Object> protocol(
      JobConfig config,
      Map<String, Object> described,
      List<EvaluateJob.SeedOutcome> outcomes,
      String minority) {
    Map<String, Object> protocol = new LinkedHashMap<>(described);
    protocol.put("seeds", outcomes.stream().map(EvaluateJob.SeedOutcome::seed).toList());
    protocol.put("subsample", EvaluateJob.subsampleSpec(config));
    protocol.put("minority_group", minority);
    for (var setting :
        List.of(
            Settings.EVALUATE_TEST_FRACTION,
            Settings.EVALUATE_VALIDATION_FRACTION,
            Settings.EVALUATE_TREES,
            Settings.EVALUATE_MAX_DEPTH,
            Settings.EVALUATE_MIN_LEAF_ROWS,
            Settings.EVALUATE_SMOTE_K,
            Settings.EPOCHS,
            Settings.HIDDEN_WIDTH)) {
      protocol.put(setting.key(), config.get(setting));
    }
    protocol.put(
        "split_rows",
        outcomes.stream().map(o -> Map.of("seed", o.seed(), "rows", o.rows())).toList());
    protocol.put(
        "auroc_hard_labels",
        "AUROC computed from hard 0/1 predictions, as the paper's notebook did; 'auroc' uses the"
            + " forest's predicted probabilities");
    return protocol;
  }

  private static Map<String, Object> variant(
      List<EvaluateJob.SeedOutcome> outcomes, String variant, List<String> groups) {
    List<VariantOutcome> runs = outcomes.stream().map(o -> o.variants().get(variant)).toList();
    Map<String, Object> section = new LinkedHashMap<>();
    Map<String, Map<String, Double>> headline =
        summaries(runs, run -> merge(run.overall(), run.fairness()));
    section.put("mean", headline.get("mean"));
    section.put("std", headline.get("std"));
    section.put("ci95_low", headline.get("low"));
    section.put("ci95_high", headline.get("high"));
    Map<String, Object> byGroup = new LinkedHashMap<>();
    for (String group : groups) {
      Map<String, Map<String, Double>> summary =
          summaries(runs, run -> run.byGroup().getOrDefault(group, Map.of()));
      byGroup.put(group, Map.of("mean", summary.get("mean"), "std", summary.get("std")));
    }
    section.put("by_group", byGroup);
    section.put("validation", summaries(runs, VariantOutcome::validation).get("mean"));
    section.put("training_rows", mean(runs, run -> (double) run.trainingRows()));
    section.put("added_rows", mean(runs, run -> (double) run.addedRows()));
    section.put("seconds", mean(runs, VariantOutcome::seconds));
    List<Map<String, Object>> perSeed = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Map<String, Object> seed = new LinkedHashMap<>();
      seed.put("seed", outcomes.get(i).seed());
      seed.put("overall", merge(runs.get(i).overall(), runs.get(i).fairness()));
      seed.put("by_group", runs.get(i).byGroup());
      perSeed.add(seed);
    }
    section.put("per_seed", perSeed);
    return section;
  }

  private static Map<String, Object> paired(
      List<EvaluateJob.SeedOutcome> outcomes, String variant, List<String> groups) {
    Map<String, Object> section = new LinkedHashMap<>();
    for (String metric : PAIRED_METRICS) {
      section.put(
          metric,
          interval(differences(outcomes, variant, o -> merge(o.overall(), o.fairness()), metric)));
    }
    Map<String, Object> byGroup = new LinkedHashMap<>();
    for (String group : groups) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (String metric :
          List.of(
              BinaryMetrics.ACCURACY,
              BinaryMetrics.F1,
              BinaryMetrics.AUROC,
              BinaryMetrics.TPR,
              BinaryMetrics.FPR)) {
        metrics.put(
            metric,
            interval(
                differences(
                    outcomes, variant, o -> o.byGroup().getOrDefault(group, Map.of()), metric)));
      }
      byGroup.put(group, metrics);
    }
    section.put("by_group", byGroup);
    return section;
  }

  private static Map<String, Object> recovered(
      List<EvaluateJob.SeedOutcome> outcomes, List<String> variants, String minority) {
    Map<String, Object> shares = new LinkedHashMap<>();
    if (!variants.contains(CONTROL)) {
      return shares;
    }
    Function<VariantOutcome, Map<String, Double>> overall = VariantOutcome::overall;
    Function<VariantOutcome, Map<String, Double>> minorityGroup =
        o -> o.byGroup().getOrDefault(minority, Map.of());
    double controlAuroc = meanOf(differences(outcomes, CONTROL, overall, BinaryMetrics.AUROC));
    double controlMinority =
        meanOf(differences(outcomes, CONTROL, minorityGroup, BinaryMetrics.ACCURACY));
    for (String variant : variants) {
      if (variant.equals(BASELINE)) {
        continue;
      }
      Map<String, Object> share = new LinkedHashMap<>();
      share.put(
          "auroc",
          meanOf(differences(outcomes, variant, overall, BinaryMetrics.AUROC)) / controlAuroc);
      share.put(
          "minority_accuracy",
          meanOf(differences(outcomes, variant, minorityGroup, BinaryMetrics.ACCURACY))
              / controlMinority);
      shares.put(variant, share);
    }
    return shares;
  }

  /**
   * Summarises MCRAGE's fidelity over seeds: per group, each metric's mean and standard deviation
   * (NaN values left out); and {@code minority}, each metric averaged over the seeds and the groups
   * of the minority (the groups whose description includes it), as the targets read.
   */
  private static Map<String, Object> fidelity(
      List<EvaluateJob.SeedOutcome> outcomes, String minority) {
    Set<String> groups = new LinkedHashSet<>();
    outcomes.forEach(o -> groups.addAll(o.fidelity().keySet()));
    Map<String, Object> section = new LinkedHashMap<>();
    if (groups.isEmpty()) {
      return section;
    }
    Map<String, Object> byGroup = new LinkedHashMap<>();
    Map<String, List<Double>> minorityValues = new LinkedHashMap<>();
    for (String group : groups) {
      Map<String, Double> means = new LinkedHashMap<>();
      Map<String, Double> stds = new LinkedHashMap<>();
      boolean inMinority =
          !minority.isEmpty()
              && Arrays.asList(group.split(", ")).containsAll(Arrays.asList(minority.split(", ")));
      for (String metric : EvaluateJob.FIDELITY_METRICS) {
        double[] values =
            outcomes.stream()
                .map(o -> o.fidelity().getOrDefault(group, Map.of()).get(metric))
                .filter(v -> v != null && !Double.isNaN(v))
                .mapToDouble(Double::doubleValue)
                .toArray();
        Statistics.Summary summary = values.length == 0 ? null : Statistics.summarise(values);
        means.put(metric, summary == null ? Double.NaN : summary.mean());
        stds.put(metric, summary == null ? Double.NaN : summary.std());
        if (inMinority) {
          for (double v : values) {
            minorityValues.computeIfAbsent(metric, k -> new ArrayList<>()).add(v);
          }
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("mean", means);
      entry.put("std", stds);
      entry.put("minority", inMinority);
      byGroup.put(group, entry);
    }
    Map<String, Double> minorityMeans = new LinkedHashMap<>();
    for (String metric : EvaluateJob.FIDELITY_METRICS) {
      List<Double> values = minorityValues.getOrDefault(metric, List.of());
      minorityMeans.put(
          metric, values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
    }
    section.put(
        "about",
        "MCRAGE's synthetic rows per group: distribution statistics against the real rows the"
            + " generator learned from; two-sample AUROC (0.5: indistinguishable) and held-out DCR"
            + " against real rows it never saw (test split and the rows the subsample dropped)");
    section.put("groups", byGroup);
    section.put("minority", minorityMeans);
    return section;
  }

  private static List<String> smoteNotes(List<EvaluateJob.SeedOutcome> outcomes) {
    List<String> notes = new ArrayList<>();
    for (EvaluateJob.SeedOutcome outcome : outcomes) {
      outcome.smoteNotes().forEach(note -> notes.add("seed " + outcome.seed() + ": " + note));
    }
    return notes;
  }

  private static String minorityGroup(
      JobConfig config, List<EvaluateJob.SeedOutcome> outcomes, List<String> groups) {
    String subsample = EvaluateJob.subsampleSpec(config);
    if (!subsample.isEmpty()) {
      String group = subsample.substring(0, subsample.lastIndexOf(':'));
      if (groups.contains(group)) {
        return group;
      }
    }
    Map<String, Map<String, Double>> first =
        outcomes.get(0).variants().values().iterator().next().byGroup();
    return groups.stream()
        .min(
            (a, b) ->
                Double.compare(
                    first.get(a).get(BinaryMetrics.ROWS), first.get(b).get(BinaryMetrics.ROWS)))
        .orElse("");
  }

  /** Returns the differences variant minus baseline on each seed for one metric. */
  static double[] differences(
      List<EvaluateJob.SeedOutcome> outcomes,
      String variant,
      Function<VariantOutcome, Map<String, Double>> metrics,
      String metric) {
    double[] differences = new double[outcomes.size()];
    for (int i = 0; i < differences.length; i++) {
      Map<String, VariantOutcome> variants = outcomes.get(i).variants();
      differences[i] =
          value(metrics.apply(variants.get(variant)), metric)
              - value(metrics.apply(variants.get(BASELINE)), metric);
    }
    return differences;
  }

  private static Map<String, Object> interval(double[] differences) {
    Statistics.Summary summary = Statistics.summarise(differences);
    Map<String, Object> interval = new LinkedHashMap<>();
    interval.put("mean", summary.mean());
    interval.put("std", summary.std());
    interval.put("ci95", new double[] {summary.low(), summary.high()});
    interval.put("n", summary.n());
    return interval;
  }

  private static Map<String, Map<String, Double>> summaries(
      List<VariantOutcome> runs, Function<VariantOutcome, Map<String, Double>> metrics) {
    Set<String> names = new LinkedHashSet<>();
    runs.forEach(run -> names.addAll(metrics.apply(run).keySet()));
    Map<String, Map<String, Double>> summaries = new LinkedHashMap<>();
    for (String part : List.of("mean", "std", "low", "high")) {
      summaries.put(part, new LinkedHashMap<>());
    }
    for (String name : names) {
      Statistics.Summary summary =
          Statistics.summarise(
              runs.stream().mapToDouble(run -> value(metrics.apply(run), name)).toArray());
      summaries.get("mean").put(name, summary.mean());
      summaries.get("std").put(name, summary.std());
      summaries.get("low").put(name, summary.low());
      summaries.get("high").put(name, summary.high());
    }
    return summaries;
  }

  private static double mean(List<VariantOutcome> runs, Function<VariantOutcome, Double> value) {
    return runs.stream().mapToDouble(run -> value.apply(run)).average().orElse(Double.NaN);
  }

  private static double meanOf(double[] values) {
    return Statistics.summarise(values).mean();
  }

  private static double value(Map<String, Double> metrics, String name) {
    Double value = metrics.get(name);
    return value == null ? Double.NaN : value;
  }

  private static Map<String, Double> merge(Map<String, Double> a, Map<String, Double> b) {
    Map<String, Double> merged = new LinkedHashMap<>(a);
    merged.putAll(b);
    return merged;
  }

  /**
   * Returns a value of the report by path, e.g. {@code "variants", "mcrage", "mean", "f1"}.
   *
   * @param path the keys
   * @return the value, or null
   */
  @SuppressWarnings("unchecked")
  public Object at(String... path) {
    Object node = content;
    for (String key : path) {
      if (!(node instanceof Map)) {
        return null;
      }
      node = ((Map<String, Object>) node).get(key);
    }
    return node;
  }
}
