package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValidationSetTest {

  /** 100 rows of group 0, 10 of group 1, 2 of group 2; row i holds the value i. */
  private static float[][] rows(int[] groups) {
    float[][] rows = new float[groups.length][];
    for (int i = 0; i < groups.length; i++) {
      rows[i] = new float[] {i, -i};
    }
    return rows;
  }

  private static int[] groups() {
    int[] groups = new int[112];
    Arrays.fill(groups, 100, 110, 1);
    Arrays.fill(groups, 110, 112, 2);
    return groups;
  }

  @Test
  void holdsOutTheFractionOfEachGroupThatKeepsTwoRows() {
    int[] groups = groups();

    ValidationSet.Split split =
        ValidationSet.split(rows(groups), groups, 3, 0.2, new SplittableRandom(1));

    int[] heldPerGroup = new int[3];
    Arrays.stream(split.heldOut()).forEach(row -> heldPerGroup[groups[row]]++);
    assertThat(heldPerGroup).containsExactly(20, 2, 0);
    assertThat(split.features().length).isEqualTo(112 - 22);
    assertThat(split.groups()).hasSize(112 - 22);
    assertThat(Arrays.stream(split.features()).mapToInt(row -> (int) row[0]))
        .doesNotContainAnyElementsOf(Arrays.stream(split.heldOut()).boxed().toList());
  }

  @Test
  void noFractionTrainsOnEveryRow() {
    int[] groups = groups();
    float[][] rows = rows(groups);

    ValidationSet.Split split = ValidationSet.split(rows, groups, 3, 0.0, new SplittableRandom(1));

    assertThat(split.features()).isSameAs(rows);
    assertThat(split.heldOut()).isEmpty();
  }

  @Test
  void lossWeighsEachGroupAlikeAndIsZeroForAPerfectPrediction() {
    int[] groups = groups();
    float[][] rows = rows(groups);
    int[] heldOut = {0, 1, 2, 100};
    NoiseSchedule schedule = NoiseSchedule.linear(10, 1e-4, 0.2);
    CddpmConfig config =
        CddpmConfig.builder().hiddenWidth(4).hiddenLayers(1).timeEmbeddingDim(2).build();
    float[][] steps = new float[10][];
    for (int t = 0; t < 10; t++) {
      steps[t] = Denoiser.stepFeatures(t, 2);
    }
    ValidationSet set =
        ValidationSet.draw(
            rows,
            groups,
            heldOut,
            schedule,
            Conditioning.perGroup(3),
            steps,
            new SplittableRandom(4));

    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> zeros = new HashMap<>();
      for (Denoiser.Spec spec : Denoiser.layout(2, Conditioning.perGroup(3), config)) {
        zeros.put(spec.name(), manager.zeros(new Shape(CddpmTrainer.toLongs(spec.shape()))));
      }

      double loss = set.loss(new Denoiser(zeros, config), manager);

      assertThat(loss)
          .as("a zero prediction scores the mean squared noise, about 1 per group")
          .isBetween(0.6, 1.4);
    }
  }
}
