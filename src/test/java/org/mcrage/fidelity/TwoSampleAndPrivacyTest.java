package org.mcrage.fidelity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.mcrage.testing.SparkTestSession;

class TwoSampleAndPrivacyTest {

  private static double[][] gaussian(int rows, double shift, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] values = new double[rows][3];
    for (double[] row : values) {
      for (int k = 0; k < row.length; k++) {
        row[k] = random.nextGaussian() + shift;
      }
    }
    return values;
  }

  @Test
  void twoSamplesFromOneDistributionCannotBeToldApart() {
    SparkSession spark = SparkTestSession.get();

    double auroc =
        new TwoSampleTest(5, 3, 2, 5L).auroc(spark, gaussian(100, 0, 1), gaussian(100, 0, 2));

    assertThat(auroc).isBetween(0.35, 0.65);
  }

  @Test
  void clearlyDifferentSamplesAreToldApart() {
    SparkSession spark = SparkTestSession.get();

    double auroc =
        new TwoSampleTest(5, 3, 2, 5L).auroc(spark, gaussian(100, 0, 1), gaussian(100, 3, 2));

    assertThat(auroc).isGreaterThan(0.95);
  }

  @Test
  void privacyCountsExactCopiesAndComparesDcrWithHeldOutRows() {
    double[][] training = gaussian(200, 0, 1);
    double[][] synthetic = gaussian(50, 0, 3);
    synthetic[0] = training[0].clone();
    synthetic[1] = training[1].clone();

    PrivacyReport report =
        PrivacyReport.compute(
            Map.of(0, training), Map.of(0, gaussian(60, 0, 4)), Map.of(0, synthetic));

    PrivacyReport.GroupPrivacy group = report.groups().get(0);
    assertThat(group.exactCopies()).isEqualTo(2);
    assertThat(group.exactCopyRate()).isEqualTo(0.04);
    assertThat(group.heldOutDcr()).hasSize(60);
    assertThat(group.medianSyntheticDcr()).isPositive();
    assertThat(report.overall().exactCopies()).isEqualTo(2);
    assertThat(report.toMap()).containsKeys("overall", "groups");
  }

  @Test
  void nearestRecordDistanceIsEuclidean() {
    double[][] reference = {{0, 0}, {3, 4}, {10, 10}};

    assertThat(NearestRecord.distance(new double[] {3, 5}, reference)).isEqualTo(1.0);
    assertThat(NearestRecord.distance(new double[] {0, 0}, reference)).isZero();
    assertThat(NearestRecord.distance(new double[] {1, 1}, new double[0][])).isInfinite();
  }
}
