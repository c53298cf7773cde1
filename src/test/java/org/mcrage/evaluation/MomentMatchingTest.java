package org.mcrage.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.mcrage.testing.SparkTestSession;

class MomentMatchingTest {
  private static final List<String> FEATURES = List.of("a", "b", "c");
  private static final StructType SCHEMA =
      new StructType()
          .add("g", DataTypes.IntegerType)
          .add("a", DataTypes.DoubleType)
          .add("b", DataTypes.DoubleType)
          .add("c", DataTypes.DoubleType)
          .add("id", DataTypes.StringType);

  @Test
  void eachGroupTakesTheTargetsMeanAndCovarianceExactly() {
    Dataset<Row> source = rows(List.of(0, 1), 200, 1.0, 0.0, 1);
    Dataset<Row> target = rows(List.of(0, 1), 40, 3.0, 0.6, 2);

    Dataset<Row> moved = MomentMatching.move(source, target, "g", FEATURES, true);

    Map<Integer, MomentMatching.Moments> want = MomentMatching.Moments.of(target, "g", FEATURES);
    Map<Integer, MomentMatching.Moments> got = MomentMatching.Moments.of(moved, "g", FEATURES);
    Map<Integer, MomentMatching.Moments> before = MomentMatching.Moments.of(source, "g", FEATURES);
    for (int g : List.of(0, 1)) {
      assertThat(got.get(g).rows()).isEqualTo(200);
      for (int j = 0; j < 3; j++) {
        assertThat(got.get(g).mean()[j]).isCloseTo(want.get(g).mean()[j], within(1e-9));
        for (int k = 0; k < 3; k++) {
          assertThat(got.get(g).covariance()[j][k])
              .isCloseTo(want.get(g).covariance()[j][k], within(1e-9));
        }
      }
      assertThat(Math.abs(before.get(g).covariance()[0][1] - want.get(g).covariance()[0][1]))
          .as("the test only shows something if the covariances differ before")
          .isGreaterThan(0.5);
    }
    assertThat(moved.select("g", "id").except(source.select("g", "id")).count()).isZero();
  }

  @Test
  void aGroupTheTargetLacksIsLeftAsItIsAndMissingValuesStayMissing() {
    List<Row> list = new ArrayList<>(rows(List.of(0, 5), 30, 1.0, 0.0, 3).collectAsList());
    list.add(RowFactory.create(0, null, 1.0, 2.0, "missing"));
    Dataset<Row> source = SparkTestSession.get().createDataFrame(list, SCHEMA);
    Dataset<Row> target = rows(List.of(0), 30, 2.0, 0.3, 4);

    Dataset<Row> moved = MomentMatching.move(source, target, "g", FEATURES, true);

    assertThat(moved.where("g = 5").except(source.where("g = 5")).count()).isZero();
    Row missing = moved.where("id = 'missing'").first();
    assertThat(missing.isNullAt(1)).isTrue();
    assertThat(missing.getDouble(2)).isNotEqualTo(1.0);
  }

  @Test
  void withoutCovarianceOnlyTheMeansMove() {
    Dataset<Row> source = rows(List.of(0, 1), 100, 1.0, 0.0, 5);
    Dataset<Row> target = rows(List.of(0, 1), 40, 3.0, 0.6, 6);

    Dataset<Row> moved = MomentMatching.move(source, target, "g", FEATURES, false);

    Map<Integer, MomentMatching.Moments> want = MomentMatching.Moments.of(target, "g", FEATURES);
    Map<Integer, MomentMatching.Moments> got = MomentMatching.Moments.of(moved, "g", FEATURES);
    Map<Integer, MomentMatching.Moments> before = MomentMatching.Moments.of(source, "g", FEATURES);
    for (int g : List.of(0, 1)) {
      for (int j = 0; j < 3; j++) {
        assertThat(got.get(g).mean()[j]).isCloseTo(want.get(g).mean()[j], within(1e-9));
        for (int k = 0; k < 3; k++) {
          assertThat(got.get(g).covariance()[j][k])
              .isCloseTo(before.get(g).covariance()[j][k], within(1e-9));
        }
      }
    }
  }

  @Test
  void withNoMoreRowsThanFeaturesOnlyMeansAndStandardDeviationsAreMatched() {
    double[][] map =
        MomentMatching.linearMap(
            new MomentMatching.Moments(2, new double[2], new double[][] {{4, 1}, {1, 1}}),
            new MomentMatching.Moments(50, new double[2], new double[][] {{1, 0.5}, {0.5, 9}}),
            2);
    assertThat(map[0][0]).isCloseTo(0.5, within(1e-12));
    assertThat(map[1][1]).isCloseTo(3.0, within(1e-12));
    assertThat(map[0][1]).isZero();
    assertThat(map[1][0]).isZero();
  }

  /** Rows per group with means {@code scale * (g + 1)}, SDs {@code scale}, corr(a, b) = rho. */
  private static Dataset<Row> rows(
      List<Integer> groups, int n, double scale, double rho, int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> list = new ArrayList<>();
    for (int g : groups) {
      for (int i = 0; i < n; i++) {
        double z1 = gaussian(random);
        double z2 = rho * z1 + Math.sqrt(1 - rho * rho) * gaussian(random);
        double mean = scale * (g + 1);
        list.add(
            RowFactory.create(
                g,
                mean + scale * z1,
                mean + scale * z2,
                mean + scale * gaussian(random),
                seed + "-" + g + "-" + i));
      }
    }
    return SparkTestSession.get().createDataFrame(list, SCHEMA);
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
