package org.mcrage.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

  @Test
  void countsTheConfusionMatrixAndItsRates() {
    int[] labels = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    int[] predicted = {1, 1, 1, 0, 1, 0, 0, 0, 0, 0};

    BinaryMetrics metrics = BinaryMetrics.of(labels, predicted);

    assertThat(metrics).isEqualTo(new BinaryMetrics(3, 1, 5, 1));
    assertThat(metrics.accuracy()).isEqualTo(0.8);
    assertThat(metrics.truePositiveRate()).isEqualTo(0.75);
    assertThat(metrics.falsePositiveRate()).isCloseTo(1.0 / 6, within(1e-12));
    assertThat(metrics.f1()).isCloseTo(0.75, within(1e-12));
    assertThat(metrics.positiveRate()).isEqualTo(0.4);
  }

  @Test
  void aurocCountsTiesAsOneHalf() {
    int[] labels = {1, 1, 0, 0};
    double[] scores = {0.8, 0.5, 0.5, 0.2};

    assertThat(BinaryMetrics.auroc(labels, scores)).isEqualTo(0.875);
  }

  @Test
  void aurocOfAPerfectAndAReversedRanking() {
    int[] labels = {0, 1, 0, 1, 1};

    assertThat(BinaryMetrics.auroc(labels, new double[] {0.1, 0.9, 0.2, 0.8, 0.7})).isEqualTo(1.0);
    assertThat(BinaryMetrics.auroc(labels, new double[] {0.9, 0.1, 0.8, 0.2, 0.3})).isEqualTo(0.0);
  }

  @Test
  void aurocFromHardLabelsIsTheMeanOfTprAndTnr() {
    int[] labels = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    int[] predicted = {1, 1, 1, 0, 1, 0, 0, 0, 0, 0};

    Map<String, Double> metrics =
        BinaryMetrics.compute(labels, predicted, new double[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0});

    assertThat(metrics.get(BinaryMetrics.AUROC_HARD))
        .isCloseTo((0.75 + 5.0 / 6) / 2, within(1e-12));
    assertThat(metrics.get(BinaryMetrics.AUROC)).isEqualTo(1.0);
    assertThat(metrics.get(BinaryMetrics.ROWS)).isEqualTo(10.0);
  }

  @Test
  void undefinedMetricsAreNaN() {
    int[] labels = {0, 0, 0};
    int[] predicted = {0, 1, 0};

    Map<String, Double> metrics = BinaryMetrics.compute(labels, predicted, new double[] {1, 2, 3});

    assertThat(metrics.get(BinaryMetrics.TPR)).isNaN();
    assertThat(metrics.get(BinaryMetrics.AUROC)).isNaN();
    assertThat(metrics.get(BinaryMetrics.F1)).isEqualTo(0.0);
    assertThat(metrics.get(BinaryMetrics.FPR)).isCloseTo(1.0 / 3, within(1e-12));
  }
}
