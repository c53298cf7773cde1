package org.mcrage.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictionsTest {

  /** Women: TPR 1/2, FPR 0, 1 of 4 predicted positive; men: TPR 1, FPR 1/2, 3 of 4. */
  private static Predictions predictions() {
    int[] labels = {1, 1, 0, 0, 1, 1, 0, 0};
    int[] predicted = {1, 0, 0, 0, 1, 1, 1, 0};
    double[] scores = {0.9, 0.4, 0.3, 0.1, 0.8, 0.7, 0.6, 0.2};
    String[][] values = {{"F"}, {"F"}, {"F"}, {"F"}, {"M"}, {"M"}, {"M"}, {"M"}};
    return new Predictions(labels, predicted, scores, List.of("SEX"), values);
  }

  @Test
  void slicesEveryValueOfEveryAttribute() {
    Map<String, Map<String, Double>> groups = predictions().byGroup();

    assertThat(groups).containsOnlyKeys("SEX=F", "SEX=M");
    assertThat(groups.get("SEX=F").get(BinaryMetrics.ACCURACY)).isEqualTo(0.75);
    assertThat(groups.get("SEX=F").get(BinaryMetrics.TPR)).isEqualTo(0.5);
    assertThat(groups.get("SEX=M").get(BinaryMetrics.FPR)).isEqualTo(0.5);
    assertThat(groups.get("SEX=M").get(BinaryMetrics.AUROC)).isEqualTo(1.0);
    assertThat(predictions().overall().get(BinaryMetrics.ROWS)).isEqualTo(8.0);
  }

  @Test
  void fairnessGapsAreTheLargestDifferencesBetweenGroups() {
    Predictions predictions = predictions();

    Map<String, Double> fairness =
        Predictions.fairness(predictions.byGroup(), predictions.intersectionalGroups());

    assertThat(fairness.get(Predictions.WORST_GROUP_ACCURACY)).isEqualTo(0.75);
    assertThat(fairness.get(Predictions.TPR_GAP)).isEqualTo(0.5);
    assertThat(fairness.get(Predictions.FPR_GAP)).isEqualTo(0.5);
    assertThat(fairness.get(Predictions.EQUALIZED_ODDS)).isEqualTo(0.5);
    assertThat(fairness.get(Predictions.DEMOGRAPHIC_PARITY)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void twoAttributesAddTheirIntersections() {
    int[] labels = {1, 0, 1, 0};
    int[] predicted = {1, 0, 0, 0};
    String[][] values = {{"F", "A"}, {"F", "B"}, {"M", "A"}, {"M", "B"}};
    Predictions predictions =
        new Predictions(
            labels, predicted, new double[] {1, 0, 0, 0}, List.of("SEX", "RACE"), values);

    assertThat(predictions.byGroup())
        .containsKeys("SEX=F", "RACE=B", "SEX=F & RACE=A", "SEX=M & RACE=B");
    assertThat(predictions.intersectionalGroups())
        .containsExactly("SEX=F & RACE=A", "SEX=F & RACE=B", "SEX=M & RACE=A", "SEX=M & RACE=B");
    Map<String, Double> fairness =
        Predictions.fairness(predictions.byGroup(), predictions.intersectionalGroups());
    assertThat(fairness.get(Predictions.WORST_GROUP_ACCURACY)).isEqualTo(0.0);
    assertThat(fairness.get(Predictions.TPR_GAP)).isEqualTo(1.0);
  }
}
