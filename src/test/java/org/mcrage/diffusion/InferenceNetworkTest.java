package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rearranged sampling network computes the same noise as the training network. */
class InferenceNetworkTest {

  private static CddpmModel train(String architecture, String conditioning) {
    CddpmConfig config =
        CddpmConfig.preset(architecture)
            .hiddenWidth(24)
            .hiddenLayers(3)
            .steps(12)
            .epochs(2)
            .guidanceWeight(2.0)
            .build();
    SplittableRandom random = new SplittableRandom(3);
    float[][] rows = new float[60][3];
    int[] groups = new int[60];
    for (int i = 0; i < rows.length; i++) {
      groups[i] = i % 4;
      for (int f = 0; f < 3; f++) {
        rows[i][f] = (float) (random.nextDouble() * 2 - 1 + groups[i]);
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Conditioning groupsOf =
          "factored".equals(conditioning)
              ? Conditioning.factored(
                  new int[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new int[] {2, 2})
              : Conditioning.perGroup(4);
      return CddpmTrainer.train(
          manager, rows, groups, groupsOf, config, TrainingProgress.NONE, TrainingCheckpoint.NONE);
    }
  }

  @ParameterizedTest
  @CsvSource({"mlp,group", "resmlp,group", "paper,group", "mlp,factored", "resmlp,factored"})
  void predictsTheSameNoiseAsTheDenoiserWithAndWithoutTheNullPass(
      String architecture, String conditioning) {
    CddpmModel model = train(architecture, conditioning);
    int rows = 7;
    int width = model.featureDim();
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> weights = new HashMap<>();
      for (CddpmModel.NamedArray p : model.parameters()) {
        weights.put(
            p.name(), manager.create(p.values(), new Shape(CddpmTrainer.toLongs(p.shape()))));
      }
      Denoiser denoiser = new Denoiser(weights, model.config());
      InferenceNetwork network =
          new InferenceNetwork(weights, model.config(), width, model.schedule().steps(), manager);
      SplittableRandom random = new SplittableRandom(11);
      float[] x = new float[rows * width];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      int dim = model.config().timeEmbeddingDim();
      for (int t : List.of(0, 5, 11)) {
        for (int group : List.of(1, model.numGroups())) {
          NDArray noisy = manager.create(x, new Shape(rows, width));
          NDArray time =
              denoiser
                  .timeEmbedding(manager.create(Denoiser.stepFeatures(t, dim), new Shape(1, dim)))
                  .broadcast(rows, dim);
          float[] oneHot = new float[model.numGroups() + 1];
          oneHot[group] = 1f;
          NDArray groups =
              denoiser
                  .groupEmbedding(manager.create(oneHot, new Shape(1, oneHot.length)))
                  .broadcast(rows, model.config().groupEmbeddingDim());
          float[] expected = denoiser.predictNoise(noisy, time, groups).toFloatArray();

          NDArray bias = network.conditionBias(manager, t, group);
          NDArray nullBias = network.conditionBias(manager, t, model.numGroups());
          float[] alone = network.predictNoise(noisy, bias, null).toFloatArray();
          float[] both = network.predictNoise(noisy, bias, nullBias).toFloatArray();

          assertClose(alone, expected);
          assertClose(Arrays.copyOfRange(both, 0, rows * width), expected);
          if (group == model.numGroups()) {
            assertClose(Arrays.copyOfRange(both, rows * width, 2 * rows * width), expected);
          }
        }
      }
    }
  }

  private static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .isCloseTo(expected[i], within(1e-4 + 1e-4 * Math.abs(expected[i])));
    }
  }
}
