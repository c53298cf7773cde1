package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CddpmTrainerTest {

  private static final int ROWS = 800;
  private static final double CENTRE = 2.0;
  private static final double SPREAD = 0.5;

  private static NDManager manager;
  private static float[][] features;
  private static int[] groups;
  private static CddpmModel trained;

  @BeforeAll
  static void trainOnce() {
    manager = Engine.getEngine("PyTorch").newBaseManager();
    generateTwoClusters(11L);
    trained = CddpmTrainer.train(manager, features, groups, 2, config(60), TrainingProgress.NONE);
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  private static CddpmConfig config(int epochs) {
    return CddpmConfig.builder()
        .hiddenWidth(64)
        .hiddenLayers(2)
        .timeEmbeddingDim(16)
        .groupEmbeddingDim(8)
        .epochs(epochs)
        .batchSize(100)
        .learningRate(3e-3)
        .emaDecay(0.99)
        .steps(40)
        .seed(5)
        .build();
  }

  private static void generateTwoClusters(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    features = new float[ROWS][];
    groups = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      groups[i] = i % 2;
      double centre = groups[i] == 0 ? -CENTRE : CENTRE;
      features[i] = new float[2];
      for (int k = 0; k < 2; k++) {
        features[i][k] = (float) (centre + SPREAD * random.nextGaussian());
      }
    }
  }

  private static double[] columnMeans(float[][] rows) {
    double[] means = new double[rows[0].length];
    for (float[] row : rows) {
      for (int k = 0; k < row.length; k++) {
        means[k] += row[k] / (double) rows.length;
      }
    }
    return means;
  }

  private static double distanceToCentre(CddpmModel model, int group, long seed) {
    try (CddpmSampler sampler = new CddpmSampler(model, manager)) {
      double[] means = columnMeans(sampler.sample(group, 400, seed));
      double centre = group == 0 ? -CENTRE : CENTRE;
      return Math.hypot(means[0] - centre, means[1] - centre);
    }
  }

  @Test
  void lossFalls() {
    double[] loss = trained.trainingLoss();

    assertThat(loss).hasSize(60);
    double lastFive = Arrays.stream(loss, 55, 60).average().orElseThrow();
    assertThat(lastFive).isLessThan(0.8 * loss[0]);
  }

  @Test
  void guidedSamplesLandNearTheirGroupsMean() {
    assertThat(distanceToCentre(trained, 0, 1L)).isLessThan(0.7);
    assertThat(distanceToCentre(trained, 1, 2L)).isLessThan(0.7);
  }

  @Test
  void untrainedModelMissesTheGroupMeans() {
    CddpmModel untrained =
        CddpmTrainer.train(manager, features, groups, 2, config(0), TrainingProgress.NONE);

    assertThat(untrained.trainingLoss()).isEmpty();
    double worst = Math.max(distanceToCentre(untrained, 0, 1L), distanceToCentre(untrained, 1, 2L));
    assertThat(worst).isGreaterThan(0.7);
  }

  @Test
  void sameSeedGivesIdenticalWeightsAndSamples() {
    CddpmModel again =
        CddpmTrainer.train(manager, features, groups, 2, config(3), TrainingProgress.NONE);
    CddpmModel once =
        CddpmTrainer.train(manager, features, groups, 2, config(3), TrainingProgress.NONE);

    assertThat(again).isEqualTo(once);
    try (CddpmSampler sampler = new CddpmSampler(once, manager)) {
      assertThat(sampler.sample(1, 50, 9L)).isDeepEqualTo(sampler.sample(1, 50, 9L));
      assertThat(sampler.sample(1, 50, 9L)).isNotEqualTo(sampler.sample(1, 50, 10L));
    }
  }

  @Test
  void differentTrainingSeedGivesDifferentWeights() {
    CddpmConfig other = config(1).toBuilder().seed(6).build();

    CddpmModel first =
        CddpmTrainer.train(manager, features, groups, 2, config(1), TrainingProgress.NONE);
    CddpmModel second =
        CddpmTrainer.train(manager, features, groups, 2, other, TrainingProgress.NONE);

    assertThat(first.parameters()).isNotEqualTo(second.parameters());
  }

  @Test
  void progressIsToldEveryEpoch() {
    List<Integer> epochs = new ArrayList<>();

    CddpmTrainer.train(
        manager,
        features,
        groups,
        2,
        config(2),
        (epoch, total, loss, elapsed) -> epochs.add(epoch));

    assertThat(epochs).containsExactly(1, 2);
  }

  @Test
  void samplesSurviveTheByteRoundTrip() {
    CddpmModel copy = CddpmModel.fromBytes(trained.toBytes());

    try (CddpmSampler original = new CddpmSampler(trained, manager);
        CddpmSampler shipped = new CddpmSampler(copy, manager)) {
      assertThat(shipped.sample(0, 20, 3L)).isDeepEqualTo(original.sample(0, 20, 3L));
    }
  }

  @Test
  void factoredModelHoldsOneEmbeddingPerGroupAndLearnsTheGroups() {
    Conditioning byLabel = Conditioning.factored(new int[][] {{0}, {1}}, new int[] {2});

    CddpmModel factored =
        CddpmTrainer.train(
            manager,
            features,
            groups,
            byLabel,
            config(60),
            TrainingProgress.NONE,
            TrainingCheckpoint.NONE);

    assertThat(factored.parameter(Denoiser.GROUP_TABLE).shape()).containsExactly(3, 8);
    assertThat(factored.parameters()).isNotEqualTo(trained.parameters());
    assertThat(distanceToCentre(CddpmModel.fromBytes(factored.toBytes()), 0, 1L)).isLessThan(0.7);
    assertThat(distanceToCentre(factored, 1, 2L)).isLessThan(0.7);
  }

  @Test
  void validationSplitKeepsABestEpochThatStillLearnsTheGroupsAndRepeats() {
    CddpmConfig validated = config(40).toBuilder().validationFraction(0.2).build();

    CddpmModel first =
        CddpmTrainer.train(manager, features, groups, 2, validated, TrainingProgress.NONE);
    CddpmModel second =
        CddpmTrainer.train(manager, features, groups, 2, validated, TrainingProgress.NONE);
    CddpmModel unvalidated =
        CddpmTrainer.train(manager, features, groups, 2, config(40), TrainingProgress.NONE);

    assertThat(first.trainingLoss()).hasSize(40);
    assertThat(second).isEqualTo(first);
    assertThat(first.parameters()).isNotEqualTo(unvalidated.parameters());
    assertThat(distanceToCentre(first, 0, 1L)).isLessThan(0.7);
    assertThat(distanceToCentre(first, 1, 2L)).isLessThan(0.7);
  }

  @Test
  void oneHotConditioningTrainsTheModelOfTheGroupCount() {
    CddpmModel byCount =
        CddpmTrainer.train(manager, features, groups, 2, config(2), TrainingProgress.NONE);

    CddpmModel oneHot =
        CddpmTrainer.train(
            manager,
            features,
            groups,
            Conditioning.perGroup(2),
            config(2),
            TrainingProgress.NONE,
            TrainingCheckpoint.NONE);

    assertThat(oneHot).isEqualTo(byCount);
  }

  @Test
  void badInputsNameTheProblem() {
    int[] outOfRange = groups.clone();
    outOfRange[3] = 2;

    assertThatThrownBy(
            () ->
                CddpmTrainer.train(
                    manager, features, outOfRange, 2, config(1), TrainingProgress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("groups[3] = 2 is outside [0, 2)");
    try (CddpmSampler sampler = new CddpmSampler(trained, manager)) {
      assertThatThrownBy(() -> sampler.sample(2, 5, 1L))
          .hasMessageContaining("group must be in [0, 2) but was 2");
    }
  }
}
