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
    Moved moved = Moved.of(200, 40, true);

    for (int g : List.of(0, 1)) {
      assertThat(moved.after().get(g).rows()).isEqualTo(200);
      moved.assertMeansMoved(g);
      moved.assertCovariances(g, moved.target());
      assertThat(
              Math.abs(
                  moved.before().get(g).covariance()[0][1]
                      - moved.target().get(g).covariance()[0][1]))
          .as("the test only shows something if the covariances differ before")
          .isGreaterThan(0.5);
    }
    assertThat(moved.result().select("g", "id").except(moved.source().select("g", "id")).count())
        .isZero();
  }

  @Test
  void withoutCovarianceOnlyTheMeansMove() {
    Moved moved = Moved.of(100, 40, false);

    for (int g : List.of(0, 1)) {
      moved.assertMeansMoved(g);
      moved.assertCovariances(g, moved.before());
    }
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

  @Test
  void momentsOfRowsInMemoryEqualThoseSparkComputes() {
    Dataset<Row> rows = rows(List.of(0), 50, 2.0, 0.5, 11);
    double[][] values =
        rows.collectAsList().stream()
            .map(row -> new double[] {row.getDouble(1), row.getDouble(2), row.getDouble(3)})
            .toArray(double[][]::new);

    MomentMatching.Moments inMemory = MomentMatching.Moments.of(values);
    MomentMatching.Moments spark = MomentMatching.Moments.of(rows, "g", FEATURES).get(0);

    assertThat(inMemory.rows()).isEqualTo(spark.rows());
    for (int j = 0; j < FEATURES.size(); j++) {
      assertThat(inMemory.mean()[j]).isCloseTo(spark.mean()[j], within(1e-9));
      for (int k = 0; k < FEATURES.size(); k++) {
        assertThat(inMemory.covariance()[j][k]).isCloseTo(spark.covariance()[j][k], within(1e-9));
      }
    }
  }

  /** Source rows moved to target rows' moments, with the moments before and after. */
  private record Moved(
      Dataset<Row> source,
      Dataset<Row> result,
      Map<Integer, MomentMatching.Moments> before,
      Map<Integer, MomentMatching.Moments> after,
      Map<Integer, MomentMatching.Moments> target) {

    static Moved of(int sourceRows, int targetRows, boolean covariance) {
      Dataset<Row> source =
          MomentMatchingTest.rows(List.of(0, 1), sourceRows, 1.0, 0.0, sourceRows);
      Dataset<Row> target =
          MomentMatchingTest.rows(List.of(0, 1), targetRows, 3.0, 0.6, sourceRows + 1);
      Dataset<Row> moved = MomentMatching.move(source, target, "g", FEATURES, covariance);
      return new Moved(
          source,
          moved,
          MomentMatching.Moments.of(source, "g", FEATURES),
          MomentMatching.Moments.of(moved, "g", FEATURES),
          MomentMatching.Moments.of(target, "g", FEATURES));
    }

    void assertMeansMoved(int group) {
      for (int j = 0; j < FEATURES.size(); j++) {
        assertThat(after.get(group).mean()[j]).isCloseTo(target.get(group).mean()[j], within(1e-9));
      }
    }

    void assertCovariances(int group, Map<Integer, MomentMatching.Moments> expected) {
      for (int j = 0; j < FEATURES.size(); j++) {
        for (int k = 0; k < FEATURES.size(); k++) {
          assertThat(after.get(group).covariance()[j][k])
              .isCloseTo(expected.get(group).covariance()[j][k], within(1e-9));
        }
      }
    }
  }

  /** Rows per group with means {@code scale * (g + 1)}, SDs {@code scale}, corr(a, b) = rho. */
  private static Dataset<Row> rows(
      List<Integer> groups, int n, double scale, double rho, int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> list = new ArrayList<>();
    for (int g : groups) {
      for (int i = 0; i < n; i++) {
        double z1 = random.nextGaussian();
        double z2 = rho * z1 + Math.sqrt(1 - rho * rho) * random.nextGaussian();
        double mean = scale * (g + 1);
        list.add(
            RowFactory.create(
                g,
                mean + scale * z1,
                mean + scale * z2,
                mean + scale * random.nextGaussian(),
                seed + "-" + g + "-" + i));
      }
    }
    return SparkTestSession.get().createDataFrame(list, SCHEMA);
  }
}
