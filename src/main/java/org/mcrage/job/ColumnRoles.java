package org.mcrage.job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mcrage.config.JobConfig;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;
import org.mcrage.io.LineageColumns;

/**
 * What each input column is to the job: the label, a demographic attribute, a feature the model
 * generates, or a column carried through (real rows keep it; synthetic rows leave it null).
 *
 * @param label the label column
 * @param demographics the demographic columns
 * @param features the feature columns, in model order
 * @param carried the other columns
 */
public record ColumnRoles(
    String label, List<String> demographics, List<String> features, List<String> carried) {

  /**
   * Resolves the roles from the config against the input schema.
   *
   * @param schema the input schema
   * @param config the run's config
   * @return the roles
   * @throws McrageException naming a missing or misused column and the columns that exist
   */
  public static ColumnRoles resolve(StructType schema, JobConfig config) {
    requireUniqueNames(schema);
    requireNoLineageColumns(schema);
    String label = config.require(Settings.LABEL);
    List<String> demographics = config.require(Settings.DEMOGRAPHICS);
    if (demographics.isEmpty()) {
      throw new McrageException(
          "Setting 'demographics' is empty", "Name at least one demographic column, e.g. SEX");
    }
    requireColumn(schema, label, Settings.LABEL.key());
    demographics.forEach(column -> requireColumn(schema, column, Settings.DEMOGRAPHICS.key()));
    if (demographics.contains(label) || new HashSet<>(demographics).size() < demographics.size()) {
      throw new McrageException(
          "Column '" + label + "' or a demographic column is named twice in " + demographics,
          "Name each column once, and keep the label out of the demographics");
    }

    Set<String> grouping = new HashSet<>(demographics);
    grouping.add(label);
    List<String> features = features(schema, config.get(Settings.FEATURES), grouping);
    List<String> carried = new ArrayList<>();
    for (StructField field : schema.fields()) {
      if (!grouping.contains(field.name()) && !features.contains(field.name())) {
        carried.add(field.name());
      }
    }
    return new ColumnRoles(label, List.copyOf(demographics), features, List.copyOf(carried));
  }

  /** Returns the label then the demographic columns: the columns phi is computed over. */
  public List<String> groupColumns() {
    List<String> columns = new ArrayList<>();
    columns.add(label);
    columns.addAll(demographics);
    return columns;
  }

  private static List<String> features(
      StructType schema, List<String> configured, Set<String> grouping) {
    if (!configured.isEmpty()) {
      for (String feature : configured) {
        requireColumn(schema, feature, Settings.FEATURES.key());
        if (grouping.contains(feature)) {
          throw new McrageException(
              "Column '" + feature + "' is both a feature and the label or a demographic",
              "Remove it from the features setting");
        }
      }
      return List.copyOf(new LinkedHashSet<>(configured));
    }

    List<String> features = new ArrayList<>();
    for (StructField field : schema.fields()) {
      if (!grouping.contains(field.name()) && isFeatureType(field)) {
        features.add(field.name());
      }
    }
    if (features.isEmpty()) {
      throw new McrageException(
          "No numeric, text or boolean feature column besides the label and demographics in "
              + names(schema),
          "Name the features with --features, or cast columns to numbers or text");
    }
    return features;
  }

  private static boolean isFeatureType(StructField field) {
    return field.dataType() instanceof NumericType
        || field.dataType() instanceof StringType
        || field.dataType() instanceof BooleanType;
  }

  /**
   * Returns the roles with the features narrowed to those the encoder kept; the others (e.g.
   * identifier-like text) are carried through.
   *
   * @param encoded the feature columns the encoder kept, in model order
   * @param schema the input schema, for column order
   * @return the narrowed roles
   */
  public ColumnRoles withFeatures(List<String> encoded, StructType schema) {
    Set<String> grouping = new HashSet<>(groupColumns());
    List<String> others = new ArrayList<>();
    for (StructField field : schema.fields()) {
      if (!grouping.contains(field.name()) && !encoded.contains(field.name())) {
        others.add(field.name());
      }
    }
    return new ColumnRoles(label, demographics, List.copyOf(encoded), List.copyOf(others));
  }

  private static void requireColumn(StructType schema, String column, String setting) {
    if (!List.of(schema.fieldNames()).contains(column)) {
      throw new McrageException(
          "Column '"
              + column
              + "' (setting '"
              + setting
              + "') is not in the input; its columns"
              + " are "
              + names(schema),
          "Fix '" + setting + "' to one of these names (they are case-sensitive)");
    }
  }

  private static void requireUniqueNames(StructType schema) {
    Set<String> seen = new HashSet<>();
    for (String name : schema.fieldNames()) {
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new McrageException(
            "The input has two columns named '" + name + "'",
            "Rename one of them so that every column name is unique");
      }
    }
  }

  private static void requireNoLineageColumns(StructType schema) {
    for (String lineage : LineageColumns.ALL) {
      if (List.of(schema.fieldNames()).contains(lineage)) {
        throw new McrageException(
            "The input already has the column '" + lineage + "': it looks like a rebalanced table",
            "Rebalance the original table, or drop the mcrage_* columns first");
      }
    }
  }

  private static String names(StructType schema) {
    return String.join(", ", schema.fieldNames());
  }
}
