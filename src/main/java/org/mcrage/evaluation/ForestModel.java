package org.mcrage.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.groups.GroupIndex;
import org.mcrage.job.ColumnRoles;

/**
 * The downstream classifier: Spark MLlib's random forest with the paper's settings (300 trees,
 * depth 20, at least 5 rows per leaf, sqrt of the features tried per split) on the features plus
 * one indicator column per demographic level.
 *
 * <p>Rows missing the label or a feature are left out of training and testing. The test predictions
 * (label, prediction, probability, demographic values: a few dozen bytes a row) are collected to
 * the driver, where the metrics are computed; fine up to tens of millions of rows.
 */
public final class ForestModel {
  private static final String LABEL = "_mcrage_label";
  private static final String FEATURES = "_mcrage_features";

  private final ColumnRoles roles;
  private final GroupIndex index;
  private final String positive;
  private final RandomForestClassifier classifier;

  /**
   * Creates the model's recipe.
   *
   * @param config the settings ({@code evaluate.trees}, {@code evaluate.max-depth}, {@code
   *     evaluate.min-leaf-rows})
   * @param roles the column roles
   * @param index the group index, whose demographic levels become indicator columns
   * @param positive the label value counted as positive
   * @param seed the forest's seed
   */
  public ForestModel(
      JobConfig config, ColumnRoles roles, GroupIndex index, String positive, long seed) {
    this.roles = roles;
    this.index = index;
    this.positive = positive;
    this.classifier =
        new RandomForestClassifier()
            .setNumTrees(config.get(Settings.EVALUATE_TREES))
            .setMaxDepth(config.get(Settings.EVALUATE_MAX_DEPTH))
            .setMinInstancesPerNode(config.get(Settings.EVALUATE_MIN_LEAF_ROWS))
            .setFeatureSubsetStrategy("sqrt")
            .setCacheNodeIds(true)
            .setMaxMemoryInMB(1024)
            .setSeed(seed)
            .setLabelCol(LABEL)
            .setFeaturesCol(FEATURES);
  }

  /**
   * A fitted forest and the rows it was trained on.
   *
   * @param model the forest
   * @param rows training rows used (those with a label and every feature)
   */
  public record Fitted(RandomForestClassificationModel model, long rows) {}

  /**
   * Trains a forest.
   *
   * @param training the training rows (a variant)
   * @return the fitted forest
   */
  public Fitted fit(Dataset<Row> training) {
    // A training set built by unions has many small partitions, and the forest runs one task per
    // partition at every level of every tree: a few partitions per core are enough.
    int partitions = Math.max(1, training.sparkSession().sparkContext().defaultParallelism());
    Dataset<Row> prepared = prepare(training).coalesce(partitions).persist();
    try {
      long rows = prepared.count();
      return new Fitted(classifier.fit(prepared), rows);
    } finally {
      prepared.unpersist();
    }
  }

  /**
   * Predicts rows and collects the predictions with each row's demographic values.
   *
   * @param model a fitted forest
   * @param rows the rows to predict (test or validation)
   * @return the predictions
   */
  public Predictions predict(RandomForestClassificationModel model, Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(LABEL));
    columns.add(col(model.getPredictionCol()));
    columns.add(col(model.getProbabilityCol()));
    roles.demographics().forEach(d -> columns.add(col(d).cast("string")));
    List<Row> collected =
        model.transform(prepare(rows)).select(columns.toArray(new Column[0])).collectAsList();

    int n = collected.size();
    int[] labels = new int[n];
    int[] predicted = new int[n];
    double[] scores = new double[n];
    String[][] values = new String[n][roles.demographics().size()];
    for (int i = 0; i < n; i++) {
      Row row = collected.get(i);
      labels[i] = (int) row.getDouble(0);
      predicted[i] = (int) row.getDouble(1);
      Vector probability = row.getAs(2);
      scores[i] = probability.size() > 1 ? probability.apply(1) : 0.0;
      for (int a = 0; a < values[i].length; a++) {
        values[i][a] = String.valueOf(row.get(3 + a));
      }
    }
    return new Predictions(labels, predicted, scores, roles.demographics(), values);
  }

  private Dataset<Row> prepare(Dataset<Row> rows) {
    List<String> inputs = new ArrayList<>();
    Dataset<Row> prepared =
        rows.where(col(roles.label()).isNotNull())
            .withColumn(
                LABEL,
                when(col(roles.label()).cast("string").equalTo(positive), 1.0).otherwise(0.0));
    for (String feature : roles.features()) {
      String name = "_mcrage_f_" + inputs.size();
      prepared = prepared.withColumn(name, col(feature).cast("double"));
      inputs.add(name);
    }
    for (int a = 0; a < roles.demographics().size(); a++) {
      String column = roles.demographics().get(a);
      for (Object level : index.levels().get(a + 1)) {
        String name = "_mcrage_f_" + inputs.size();
        prepared =
            prepared.withColumn(name, when(col(column).equalTo(lit(level)), 1.0).otherwise(0.0));
        inputs.add(name);
      }
    }
    prepared = prepared.na().drop(inputs.toArray(new String[0]));
    return new VectorAssembler()
        .setInputCols(inputs.toArray(new String[0]))
        .setOutputCol(FEATURES)
        .transform(prepared);
  }
}
