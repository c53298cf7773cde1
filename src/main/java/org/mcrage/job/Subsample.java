package org.mcrage.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.rand;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;

/**
 * Keeps a seeded fraction of the rows where one column has one value, as the paper's experiment
 * does (10% of SEX=F); the other rows are all kept.
 *
 * @param column the column
 * @param value the value, compared as text
 * @param fraction the share of matching rows kept, in [0, 1]
 */
public record Subsample(String column, String value, double fraction) {

  /**
   * Parses {@code COLUMN=VALUE:FRACTION}.
   *
   * @param spec the setting's text (already validated)
   * @return the subsample
   */
  public static Subsample parse(String spec) {
    int equals = spec.indexOf('=');
    int colon = spec.lastIndexOf(':');
    return new Subsample(
        spec.substring(0, equals),
        spec.substring(equals + 1, colon),
        Double.parseDouble(spec.substring(colon + 1)));
  }

  /**
   * Applies the subsample.
   *
   * @param rows the table
   * @param seed the seed of the random choice
   * @return the kept rows
   */
  public Dataset<Row> apply(Dataset<Row> rows, long seed) {
    if (!java.util.List.of(rows.columns()).contains(column)) {
      throw new McrageException(
          "Column '"
              + column
              + "' of setting '"
              + Settings.SUBSAMPLE.key()
              + "' is not in the input",
          "Use one of " + String.join(", ", rows.columns()));
    }
    Column matches = col(column).cast("string").equalTo(value);
    return rows.where(not(matches).or(matches.isNull()).or(rand(seed).lt(fraction)));
  }
}
