package org.mcrage.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianCopulaTest {

  private static double[][] correlatedRows(int count) {
    SplittableRandom random = new SplittableRandom(7);
    double[][] rows = new double[count][];
    for (int i = 0; i < count; i++) {
      double x = random.nextGaussian();
      double y = 0.8 * x + 0.6 * random.nextGaussian();
      double skewed = Math.exp(random.nextGaussian());
      rows[i] = new double[] {x, 10 + 3 * y, skewed};
    }
    return rows;
  }

  @Test
  void samplesKeepTheMarginalsAndTheCorrelationOfTheFittedRows() {
    double[][] real = correlatedRows(400);

    double[][] drawn = GaussianCopula.fit(real).sample(20_000, new SplittableRandom(1));

    double[][] realColumns = FeatureStatistics.columns(real, 3);
    double[][] drawnColumns = FeatureStatistics.columns(drawn, 3);
    for (int k = 0; k < 3; k++) {
      double sd = FeatureStatistics.sd(realColumns[k]);
      assertThat(FeatureStatistics.mean(drawnColumns[k]))
          .isCloseTo(FeatureStatistics.mean(realColumns[k]), within(0.1 * sd));
      assertThat(FeatureStatistics.ks(realColumns[k], drawnColumns[k])).isLessThan(0.06);
    }
    double realCorrelation = FeatureStatistics.correlation(real, 3)[0][1];
    assertThat(FeatureStatistics.correlation(drawn, 3)[0][1])
        .isCloseTo(realCorrelation, within(0.05));
  }

  @Test
  void samplesStayWithinTheRangeOfTheFittedRows() {
    double[][] real = correlatedRows(50);

    double[][] drawn = GaussianCopula.fit(real).sample(5_000, new SplittableRandom(2));

    double[][] realColumns = FeatureStatistics.columns(real, 3);
    for (double[] row : drawn) {
      for (int k = 0; k < 3; k++) {
        assertThat(row[k])
            .isBetween(
                FeatureStatistics.quantile(realColumns[k], 0.0),
                FeatureStatistics.quantile(realColumns[k], 1.0));
      }
    }
  }

  @Test
  void theSameSeedDrawsTheSameRows() {
    GaussianCopula copula = GaussianCopula.fit(correlatedRows(60));

    double[][] first = copula.sample(100, new SplittableRandom(3));
    double[][] second = copula.sample(100, new SplittableRandom(3));

    assertThat(second).isDeepEqualTo(first);
  }
}
