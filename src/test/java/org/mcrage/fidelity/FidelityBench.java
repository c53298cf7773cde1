package org.mcrage.fidelity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.rand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mcrage.config.ConfigResolver;
import org.mcrage.config.JobConfig;
import org.mcrage.evaluation.MomentMatching;
import org.mcrage.groups.GroupIndex;
import org.mcrage.io.LineageColumns;
import org.mcrage.job.Rebalancer;
import org.mcrage.job.Subsample;

/**
 * Benchmark (not a test): fidelity and privacy of the generator on the shared data set with 10% of
 * SEX=F kept (or the share {@code keep=} gives), per option and seed. Real rows are split 70/30 per
 * seed and that share of the SEX=F rows of the 70% is kept: the model trains on those. Every other
 * row (the 30%, and the SEX=F rows the subsample dropped) is held out. Distribution statistics are
 * computed against the training rows of each group and, in the last columns, against its held-out
 * rows; the two-sample test and the held-out DCRs use the held-out rows. Headline figures average
 * the SEX=F groups (the minority groups).
 *
 * <p>Arguments: {@code seeds=1,2 csv=PATH keep=0.1 dump=DIR option=NAME:key=value,key=value ...}
 * (each {@code option} one generator; repeated). Run with {@code bench/fidelity.sh}.
 */
public final class FidelityBench {
  private static final List<String> FEATURES =
      List.of(
          "HAEMATOCRIT",
          "HAEMOGLOBINS",
          "ERYTHROCYTE",
          "LEUCOCYTE",
          "THROMBOCYTE",
          "MCH",
          "MCHC",
          "MCV",
          "AGE");

  private FidelityBench() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) {
    String csv = "../shared/data/patient-treatment.csv";
    List<Long> seeds = List.of(1L);
    String dump = null;
    String keep = "0.1";
    Map<String, Map<String, String>> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("seeds=")) {
        seeds = java.util.Arrays.stream(arg.substring(6).split(",")).map(Long::valueOf).toList();
      } else if (arg.startsWith("dump=")) {
        dump = arg.substring(5);
      } else if (arg.startsWith("keep=")) {
        keep = arg.substring(5);
      } else if (arg.startsWith("csv=")) {
        csv = arg.substring(4);
      } else if (arg.startsWith("option=")) {
        String spec = arg.substring(7);
        String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        Map<String, String> settings = new LinkedHashMap<>();
        if (spec.contains(":")) {
          for (String pair : spec.substring(spec.indexOf(':') + 1).split(",")) {
            settings.put(
                pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
          }
        }
        options.put(name, settings);
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("fidelity-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> input =
        spark.read().option("header", "true").option("inferSchema", "true").csv(csv).cache();
    System.out.println(
        "option\tseed\tgroup\treal\theld\tsynth\t|mean diff| sd\tmax|mean diff|\tsd ratio\tKS"
            + "\tW1 sd"
            + "\tcorr diff\tAUROC\tcopies\tnear replaced\tDCR synth med\tDCR held med"
            + "\theld |mean diff|\theld sd ratio\theld corr diff\ttrain s");
    for (Map.Entry<String, Map<String, String>> option : options.entrySet()) {
      List<double[]> headline = new ArrayList<>();
      for (long seed : seeds) {
        headline.addAll(
            run(spark, input, option.getKey(), option.getValue(), seed, "SEX=F:" + keep, dump));
      }
      summarise(option.getKey(), option.getValue(), headline);
    }
    spark.stop();
  }

  private static List<double[]> run(
      SparkSession spark,
      Dataset<Row> input,
      String name,
      Map<String, String> settings,
      long seed,
      String subsample,
      String dump) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("label", "SOURCE");
    values.put("demographics", "SEX");
    values.put("features", String.join(",", FEATURES));
    values.put("seed", Long.toString(seed));
    values.put("groups.min-size", "5");
    values.put("model.threads", "2");
    values.putAll(settings);
    JobConfig config = ConfigResolver.resolve(values, Optional.empty());

    Dataset<Row> rows =
        input.withColumn("_id", monotonically_increasing_id()).withColumn("_split", rand(seed));
    Dataset<Row> kept =
        Subsample.parse(subsample).apply(rows.where(col("_split").lt(0.7)), seed).cache();
    Dataset<Row> held = rows.join(kept.select("_id"), "_id", "left_anti");
    Dataset<Row> train = kept.drop("_split", "_id");
    long start = System.nanoTime();
    Rebalancer.Rebalanced result = new Rebalancer(spark, config, "bench").rebalance(train);
    double seconds = (System.nanoTime() - start) / 1e9;
    GroupIndex index = result.groups().index();
    Dataset<Row> heldOut =
        held.drop("_split", "_id").withColumn(LineageColumns.GROUP, index.phiColumn());
    FidelityRun run =
        FidelityRun.measure(spark, result.real(), heldOut, result.synthetic(), FEATURES, seed);
    FidelityOptions plain = FidelityOptions.defaults(seed).withoutTwoSampleTest();
    Map<Integer, double[][]> heldRows =
        GroupRows.collect(heldOut, FEATURES, plain.maxRowsPerGroup(), seed);
    Map<Integer, double[][]> syntheticRows =
        GroupRows.collect(result.synthetic(), FEATURES, plain.maxRowsPerGroup(), seed);
    FidelityReport versusHeld =
        FidelityReport.compute(spark, heldRows, heldRows, syntheticRows, FEATURES, plain);
    Map<Integer, double[][]> trainingRows =
        GroupRows.collect(result.real(), FEATURES, plain.maxRowsPerGroup(), seed);
    if (dump != null) {
      dumpRows(dump, name, seed, trainingRows, heldRows, syntheticRows);
    }
    FidelityReport floor =
        realInPlaceOfSynthetic(spark, trainingRows, heldRows, syntheticRows, seed, Moments.NONE);
    FidelityReport shifted =
        realInPlaceOfSynthetic(spark, trainingRows, heldRows, syntheticRows, seed, Moments.MEAN);
    FidelityReport scaled =
        realInPlaceOfSynthetic(
            spark, trainingRows, heldRows, syntheticRows, seed, Moments.MEAN_AND_SD);
    FidelityReport recoloured =
        realInPlaceOfSynthetic(
            spark, trainingRows, heldRows, syntheticRows, seed, Moments.MEAN_AND_COVARIANCE);
    printMajorityCorrelation(name, seed, index, trainingRows, heldRows, syntheticRows);
    FidelityReport copies =
        trainingRowsInPlaceOfSynthetic(spark, trainingRows, heldRows, syntheticRows, seed);
    Map<Integer, double[][]> copulaRows =
        copulaInPlaceOfSynthetic(trainingRows, syntheticRows, seed);
    FidelityReport copula =
        FidelityReport.compute(
            spark, trainingRows, heldRows, copulaRows, FEATURES, FidelityOptions.defaults(seed));
    PrivacyReport copulaPrivacy = PrivacyReport.compute(trainingRows, heldRows, copulaRows);

    List<double[]> minority = new ArrayList<>();
    for (int g = 0; g < run.fidelity().groups().size(); g++) {
      FidelityReport.GroupFidelity f = run.fidelity().groups().get(g);
      PrivacyReport.GroupPrivacy p = privacy(run.privacy(), f.group());
      boolean female = index.values(f.group()).contains("F");
      FidelityReport.GroupFidelity h = fidelity(versusHeld, f.group());
      print(name, seed, index.describe(f.group()), f, h, p, result, seconds);
      FidelityReport.GroupFidelity r = fidelity(floor, f.group());
      FidelityReport.GroupFidelity c = fidelity(copies, f.group());
      FidelityReport.GroupFidelity q = fidelity(copula, f.group());
      PrivacyReport.GroupPrivacy qp = privacy(copulaPrivacy, f.group());
      FidelityReport.GroupFidelity m = fidelity(shifted, f.group());
      FidelityReport.GroupFidelity sd = fidelity(scaled, f.group());
      FidelityReport.GroupFidelity cov = fidelity(recoloured, f.group());
      if (female) {
        minority.add(
            new double[] {
              f.meanAbsMeanDifference(),
              f.meanSdRatio(),
              f.maxCorrelationDifference(),
              f.twoSampleAuroc(),
              p.exactCopyRate(),
              p.medianSyntheticDcr(),
              p.medianHeldOutDcr(),
              f.meanKs(),
              f.meanWasserstein(),
              h.meanAbsMeanDifference(),
              h.meanSdRatio(),
              h.maxCorrelationDifference(),
              r.meanAbsMeanDifference(),
              r.meanSdRatio(),
              r.maxCorrelationDifference(),
              r.twoSampleAuroc(),
              c.twoSampleAuroc(),
              q.meanAbsMeanDifference(),
              q.meanSdRatio(),
              q.maxCorrelationDifference(),
              q.twoSampleAuroc(),
              qp.exactCopyRate(),
              qp.medianSyntheticDcr(),
              m.twoSampleAuroc(),
              sd.twoSampleAuroc(),
              cov.twoSampleAuroc(),
              cov.maxCorrelationDifference()
            });
      }
    }
    result.synthetic().unpersist();
    kept.unpersist();
    return minority;
  }

  /**
   * Scores a perfect generator: real rows the model never saw, as many as it generated, put in the
   * synthetic rows' place (against the same training rows, two-sample test against the other
   * held-out rows). What no generator can beat with this many rows: the sampling noise of the
   * statistics themselves. With {@code moments} other than {@code NONE}, those rows are moved so
   * that the held-out rows' mean (and SD, or covariance) become the training rows': a generator
   * with the population's exact shape beyond those moments that takes them from the group's
   * training rows, as a generator that learns a group from its own rows does. Its two-sample AUROC
   * is what the sampling error of those moments alone costs.
   */
  private static FidelityReport realInPlaceOfSynthetic(
      SparkSession spark,
      Map<Integer, double[][]> training,
      Map<Integer, double[][]> heldRows,
      Map<Integer, double[][]> synthetic,
      long seed,
      Moments moments) {
    Map<Integer, double[][]> asSynthetic = new java.util.TreeMap<>();
    Map<Integer, double[][]> testReal = new java.util.TreeMap<>();
    java.util.Random random = new java.util.Random(seed);
    for (Map.Entry<Integer, double[][]> entry : heldRows.entrySet()) {
      List<double[]> rows = new ArrayList<>(java.util.Arrays.asList(entry.getValue()));
      java.util.Collections.shuffle(rows, random);
      int wanted = synthetic.containsKey(entry.getKey()) ? synthetic.get(entry.getKey()).length : 0;
      int half = Math.min(rows.size() / 2, wanted);
      double[][] chosen = rows.subList(0, half).toArray(double[][]::new);
      double[][] trainingRows = training.get(entry.getKey());
      if (moments != Moments.NONE
          && trainingRows != null
          && trainingRows.length > FEATURES.size()) {
        chosen = moments.moveTo(chosen, entry.getValue(), trainingRows);
      }
      asSynthetic.put(entry.getKey(), chosen);
      testReal.put(entry.getKey(), rows.subList(half, rows.size()).toArray(double[][]::new));
    }
    return FidelityReport.compute(
        spark, training, testReal, asSynthetic, FEATURES, FidelityOptions.defaults(seed));
  }

  /**
   * Scores the generator that copies its training rows (drawn with replacement, as many as were
   * generated) in the two-sample test against held-out rows: how far the few training rows of a
   * minority group themselves are from its population, which a generator that learned them
   * perfectly would inherit.
   */
  private static FidelityReport trainingRowsInPlaceOfSynthetic(
      SparkSession spark,
      Map<Integer, double[][]> training,
      Map<Integer, double[][]> heldRows,
      Map<Integer, double[][]> synthetic,
      long seed) {
    Map<Integer, double[][]> drawn = new java.util.TreeMap<>();
    java.util.Random random = new java.util.Random(seed);
    for (Map.Entry<Integer, double[][]> entry : synthetic.entrySet()) {
      double[][] rows = training.get(entry.getKey());
      double[][] copies = new double[entry.getValue().length][];
      for (int i = 0; i < copies.length; i++) {
        copies[i] = rows[random.nextInt(rows.length)];
      }
      drawn.put(entry.getKey(), copies);
    }
    return FidelityReport.compute(
        spark, training, heldRows, drawn, FEATURES, FidelityOptions.defaults(seed));
  }

  /**
   * Draws, for each group with synthetic rows, as many rows from a {@link GaussianCopula} fitted on
   * that group's training rows alone: what a simple density estimate from so few rows attains.
   */
  private static Map<Integer, double[][]> copulaInPlaceOfSynthetic(
      Map<Integer, double[][]> training, Map<Integer, double[][]> synthetic, long seed) {
    Map<Integer, double[][]> drawn = new java.util.TreeMap<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (Map.Entry<Integer, double[][]> entry : synthetic.entrySet()) {
      double[][] rows = training.get(entry.getKey());
      if (rows != null && rows.length >= 2) {
        drawn.put(
            entry.getKey(),
            GaussianCopula.fit(rows).sample(entry.getValue().length, random.split()));
      }
    }
    return drawn;
  }

  /**
   * Which moments of a group's training rows the held-out rows are moved to, in the references that
   * put real rows in the synthetic rows' place: a generator that learns a group from its own rows
   * inherits their sampling error in at least these.
   */
  private enum Moments {
    NONE,
    MEAN,
    MEAN_AND_SD,
    MEAN_AND_COVARIANCE;

    /**
     * Moves {@code chosen} (drawn from {@code population}) so that their population's mean (and SD,
     * or covariance) become those of {@code training}.
     */
    double[][] moveTo(double[][] chosen, double[][] population, double[][] training) {
      int width = FEATURES.size();
      MomentMatching.Moments from = MomentMatching.Moments.of(population);
      MomentMatching.Moments to = MomentMatching.Moments.of(training);
      RealMatrix map = MatrixUtils.createRealIdentityMatrix(width);
      if (this == MEAN_AND_SD) {
        double[] ratio = new double[width];
        for (int j = 0; j < width; j++) {
          ratio[j] = Math.sqrt(to.covariance()[j][j] / from.covariance()[j][j]);
        }
        map = MatrixUtils.createRealDiagonalMatrix(ratio);
      } else if (this == MEAN_AND_COVARIANCE) {
        map = MatrixUtils.createRealMatrix(MomentMatching.linearMap(from, to, width));
      }
      double[][] moved = new double[chosen.length][];
      for (int i = 0; i < chosen.length; i++) {
        double[] centred = new double[width];
        for (int j = 0; j < width; j++) {
          centred[j] = chosen[i][j] - from.mean()[j];
        }
        double[] mapped = map.operate(centred);
        for (int j = 0; j < width; j++) {
          mapped[j] += to.mean()[j];
        }
        moved[i] = mapped;
      }
      return moved;
    }
  }

  /**
   * Prints, for each group the model generated no rows for (the majority), the largest correlation
   * difference between its training and held-out rows: how far two real samples of hundreds of rows
   * differ on the correlation statistic.
   */
  private static void printMajorityCorrelation(
      String name,
      long seed,
      GroupIndex index,
      Map<Integer, double[][]> training,
      Map<Integer, double[][]> held,
      Map<Integer, double[][]> synthetic) {
    int width = FEATURES.size();
    for (Map.Entry<Integer, double[][]> entry : training.entrySet()) {
      double[][] other = held.get(entry.getKey());
      if (synthetic.containsKey(entry.getKey()) || other == null || other.length <= width) {
        continue;
      }
      double difference =
          FeatureStatistics.maxAbsDifference(
              FeatureStatistics.correlation(entry.getValue(), width),
              FeatureStatistics.correlation(other, width));
      System.out.println(
          String.format(
              Locale.ROOT,
              "REAL-VS-REAL %s %d %s: %d training vs %d held-out rows, corr diff %.3f",
              name,
              seed,
              index.describe(entry.getKey()),
              entry.getValue().length,
              other.length,
              difference));
    }
  }

  /** Writes the rows compared, one CSV per option and seed: group, kind, features. */
  private static void dumpRows(
      String dir,
      String name,
      long seed,
      Map<Integer, double[][]> training,
      Map<Integer, double[][]> held,
      Map<Integer, double[][]> synthetic) {
    java.nio.file.Path path = java.nio.file.Path.of(dir, name + "-" + seed + ".csv");
    try {
      java.nio.file.Files.createDirectories(path.getParent());
      try (java.io.PrintWriter out =
          new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(path))) {
        out.println("group,kind," + String.join(",", FEATURES));
        Map<String, Map<Integer, double[][]>> kinds = new LinkedHashMap<>();
        kinds.put("train", training);
        kinds.put("held", held);
        kinds.put("synth", synthetic);
        for (Map.Entry<String, Map<Integer, double[][]>> kind : kinds.entrySet()) {
          for (Map.Entry<Integer, double[][]> group : kind.getValue().entrySet()) {
            for (double[] row : group.getValue()) {
              StringBuilder line = new StringBuilder();
              line.append(group.getKey()).append(',').append(kind.getKey());
              for (double v : row) {
                line.append(',').append(v);
              }
              out.println(line);
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static FidelityReport.GroupFidelity fidelity(FidelityReport report, int group) {
    return report.groups().stream().filter(f -> f.group() == group).findFirst().orElseThrow();
  }

  private static PrivacyReport.GroupPrivacy privacy(PrivacyReport report, int group) {
    return report.groups().stream().filter(p -> p.group() == group).findFirst().orElseThrow();
  }

  private static void print(
      String name,
      long seed,
      String group,
      FidelityReport.GroupFidelity f,
      FidelityReport.GroupFidelity h,
      PrivacyReport.GroupPrivacy p,
      Rebalancer.Rebalanced result,
      double seconds) {
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s\t%d\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%d\t%.3f\t%.3f"
                + "\t%.3f\t%.3f\t%.3f\t%.0f",
            name,
            seed,
            group,
            f.realRows(),
            p.heldOutDcr().length,
            f.syntheticRows(),
            f.meanAbsMeanDifference(),
            f.maxAbsMeanDifference(),
            f.meanSdRatio(),
            f.meanKs(),
            f.meanWasserstein(),
            f.maxCorrelationDifference(),
            f.twoSampleAuroc(),
            p.exactCopies(),
            result.sampling().nearCopiesReplaced(),
            p.medianSyntheticDcr(),
            p.medianHeldOutDcr(),
            h.meanAbsMeanDifference(),
            h.meanSdRatio(),
            h.maxCorrelationDifference(),
            seconds));
  }

  private static void summarise(String name, Map<String, String> settings, List<double[]> rows) {
    double[] mean = new double[rows.get(0).length];
    for (double[] row : rows) {
      for (int k = 0; k < mean.length; k++) {
        mean[k] += row[k] / rows.size();
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "SUMMARY %s %s (SEX=F groups x seeds = %d): |mean diff| %.3f sd, sd ratio %.3f, corr"
                + " diff %.3f, AUROC %.3f, exact-copy rate %.4f, DCR synth %.3f vs held %.3f,"
                + " KS %.3f, W1 %.3f sd; against held-out rows: |mean diff| %.3f sd, sd ratio"
                + " %.3f, corr diff %.3f; real held-out rows in the synthetic rows' place (the"
                + " noise floor): |mean diff| %.3f sd, sd ratio %.3f, corr diff %.3f, AUROC %.3f;"
                + " the training rows"
                + " themselves, drawn with replacement, against held-out rows: AUROC %.3f;"
                + " a Gaussian copula fitted on each group's training rows (attainable"
                + " reference): |mean diff| %.3f sd, sd ratio %.3f, corr diff %.3f, AUROC %.3f,"
                + " exact-copy rate %.4f, DCR synth %.3f; held-out rows moved to the training"
                + " rows' mean (population shape, location learned from the group's own rows):"
                + " AUROC %.3f; held-out rows given the training rows' mean and SD: AUROC %.3f;"
                + " held-out rows given the training rows' mean and covariance (the population's"
                + " shape beyond second moments): AUROC %.3f, corr diff %.3f",
            name,
            settings,
            rows.size(),
            mean[0],
            mean[1],
            mean[2],
            mean[3],
            mean[4],
            mean[5],
            mean[6],
            mean[7],
            mean[8],
            mean[9],
            mean[10],
            mean[11],
            mean[12],
            mean[13],
            mean[14],
            mean[15],
            mean[16],
            mean[17],
            mean[18],
            mean[19],
            mean[20],
            mean[21],
            mean[22],
            mean[23],
            mean[24],
            mean[25],
            mean[26]));
  }
}
