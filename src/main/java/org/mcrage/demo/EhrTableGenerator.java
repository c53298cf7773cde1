package org.mcrage.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Generates a seeded, realistic and imbalanced EHR-like table: adult encounters with lab values
 * whose distributions depend on sex and diagnosis.
 *
 * <p>Columns: {@code encounter_id} (text, carried through), {@code sex} (F/M), {@code diagnosis}
 * (negative/positive, the label), {@code age} (whole years, 18-90), and labs: {@code
 * haemoglobin} (g/dL), {@code haematocrit} (%, about three times haemoglobin), {@code wbc}
 * (10^9/L, log-normal), {@code platelets} (10^9/L), {@code creatinine} (mg/dL, log-normal),
 * {@code glucose} (mg/dL, rising with age) and {@code sodium} (mmol/L, whole). Women are 15% of
 * rows and less often positive, so the smallest group (sex=F, positive) is about a tenth of the
 * largest (sex=M, negative). The same seed and row count give the same table; rows are generated
 * by Spark expressions, so tens of millions are cheap.
 */
public final class EhrTableGenerator {
  private static final double FEMALE_SHARE = 0.15;
  private static final double POSITIVE_IF_MALE = 0.45;
  private static final double POSITIVE_IF_FEMALE = 0.35;

  private final SparkSession spark;
  private final long seed;

  /**
   * Creates a generator.
   *
   * @param spark the session
   * @param seed the seed of every random column
   */
  public EhrTableGenerator(SparkSession spark, long seed) {
    this.spark = spark;
    this.seed = seed;
  }

  /**
   * Generates a table.
   *
   * @param rows how many encounters
   * @param partitions Spark partitions (part of what makes the output reproducible)
   * @return the table
   */
  public Dataset<Row> generate(long rows, int partitions) {
    Column female = rand(seed).lt(FEMALE_SHARE);
    Column positiveChance = when(col("is_female"), POSITIVE_IF_FEMALE).otherwise(POSITIVE_IF_MALE);
    Dataset<Row> base =
        spark
            .range(0, rows, 1, partitions)
            .withColumn("is_female", female)
            .withColumn("is_positive", rand(seed + 1).lt(positiveChance));

    Column f = when(col("is_female"), 1.0).otherwise(0.0);
    Column p = when(col("is_positive"), 1.0).otherwise(0.0);
    Column age = clip(randn(seed + 2).multiply(15).plus(52).plus(p.multiply(8)), 18, 90);
    Column haemoglobin =
        clip(randn(seed + 3).multiply(1.2).plus(14.6).minus(f.multiply(1.8)).minus(p.multiply(0.9)), 6, 19);
    return base.withColumn("age", round(age).cast("int"))
        .withColumn("haemoglobin", round(haemoglobin, 1))
        .withColumn(
            "haematocrit",
            round(clip(col("haemoglobin").multiply(2.95).plus(randn(seed + 4).multiply(1.4)), 18, 60), 1))
        .withColumn(
            "wbc",
            round(exp(randn(seed + 5).multiply(0.3).plus(Math.log(7.0)).plus(p.multiply(0.35))), 2))
        .withColumn(
            "platelets",
            round(clip(randn(seed + 6).multiply(60).plus(245).plus(f.multiply(25)).minus(p.multiply(30)), 20, 700)))
        .withColumn(
            "creatinine",
            round(
                exp(randn(seed + 7).multiply(0.25).plus(Math.log(0.95)).minus(f.multiply(0.22)).plus(p.multiply(0.25))),
                2))
        .withColumn(
            "glucose",
            round(clip(randn(seed + 8).multiply(18).plus(96).plus(p.multiply(24)).plus(col("age").minus(52).multiply(0.3)), 50, 400)))
        .withColumn("sodium", round(clip(randn(seed + 9).multiply(3).plus(139).minus(p.multiply(2)), 120, 155)).cast("int"))
        .withColumn("encounter_id", concat(lit("E"), lpad(col("id").cast("string"), 9, "0")))
        .withColumn("sex", when(col("is_female"), "F").otherwise("M"))
        .withColumn("diagnosis", when(col("is_positive"), "positive").otherwise("negative"))
        .select(
            "encounter_id", "sex", "diagnosis", "age", "haemoglobin", "haematocrit", "wbc",
            "platelets", "creatinine", "glucose", "sodium");
  }

  private static Column clip(Column value, double low, double high) {
    return least(greatest(value, lit(low)), lit(high));
  }
}
