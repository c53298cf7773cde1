package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingCheckpointTest {
  private static final int ROWS = 300;

  private static NDManager manager;
  private static float[][] features;
  private static int[] groups;

  @BeforeAll
  static void data() {
    manager = Engine.getEngine("PyTorch").newBaseManager();
    SplittableRandom random = new SplittableRandom(3);
    features = new float[ROWS][];
    groups = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      groups[i] = i % 2;
      features[i] =
          new float[] {(float) random.nextGaussian(), (float) (groups[i] + random.nextGaussian())};
    }
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static CddpmConfig config(int epochs, long seed) {
    return CddpmConfig.builder()
        .hiddenWidth(16)
        .hiddenLayers(2)
        .epochs(epochs)
        .batchSize(64)
        .steps(20)
        .seed(seed)
        .threads(1)
        .build();
  }

  /** Keeps the last saved state in memory, like a file beside the table. */
  private static final class MemoryCheckpoint implements TrainingCheckpoint {
    byte[] state;
    int saves;

    @Override
    public int every() {
      return 2;
    }

    @Override
    public Optional<byte[]> load() {
      return Optional.ofNullable(state);
    }

    @Override
    public void save(byte[] bytes) {
      state = bytes;
      saves++;
    }
  }

  private static CddpmModel train(
      CddpmConfig config, TrainingProgress progress, MemoryCheckpoint c) {
    return CddpmTrainer.train(manager, features, groups, 2, config, progress, c);
  }

  @Test
  void resumedTrainingEndsWithTheUninterruptedModel() {
    CddpmModel uninterrupted =
        CddpmTrainer.train(manager, features, groups, 2, config(5, 7), TrainingProgress.NONE);
    MemoryCheckpoint checkpoint = new MemoryCheckpoint();
    TrainingProgress crashAtEpoch3 =
        (epoch, epochs, loss, elapsed) -> {
          if (epoch == 3) {
            throw new IllegalStateException("killed");
          }
        };

    assertThatThrownBy(() -> train(config(5, 7), crashAtEpoch3, checkpoint)).hasMessage("killed");
    int[] epochsRun = new int[1];
    CddpmModel resumed =
        train(config(5, 7), (epoch, epochs, loss, elapsed) -> epochsRun[0]++, checkpoint);

    assertThat(epochsRun[0]).as("epochs 3 to 5 rerun, 1 and 2 restored").isEqualTo(3);
    assertThat(resumed).isEqualTo(uninterrupted);
  }

  @Test
  void finishedCheckpointSkipsTrainingAndSavesAfterTheLastEpoch() {
    MemoryCheckpoint checkpoint = new MemoryCheckpoint();
    CddpmModel first = train(config(3, 8), TrainingProgress.NONE, checkpoint);
    int[] epochsRun = new int[1];

    CddpmModel again =
        train(config(3, 8), (epoch, epochs, loss, elapsed) -> epochsRun[0]++, checkpoint);

    assertThat(checkpoint.saves).as("after epoch 2 and after the last, 3").isEqualTo(2);
    assertThat(epochsRun[0]).isZero();
    assertThat(again).isEqualTo(first);
  }

  @Test
  void resumedFactoredTrainingEndsWithTheUninterruptedModel() {
    Conditioning factored = Conditioning.factored(new int[][] {{0}, {1}}, new int[] {2});
    CddpmModel uninterrupted =
        CddpmTrainer.train(
            manager,
            features,
            groups,
            factored,
            config(4, 7),
            TrainingProgress.NONE,
            TrainingCheckpoint.NONE);
    MemoryCheckpoint checkpoint = new MemoryCheckpoint();
    TrainingProgress crashAtEpoch3 =
        (epoch, epochs, loss, elapsed) -> {
          if (epoch == 3) {
            throw new IllegalStateException("killed");
          }
        };
    assertThatThrownBy(
            () ->
                CddpmTrainer.train(
                    manager, features, groups, factored, config(4, 7), crashAtEpoch3, checkpoint))
        .hasMessage("killed");

    CddpmModel resumed =
        CddpmTrainer.train(
            manager, features, groups, factored, config(4, 7), TrainingProgress.NONE, checkpoint);
    int[] epochsRun = new int[1];
    train(config(4, 7), (epoch, epochs, loss, elapsed) -> epochsRun[0]++, checkpoint);

    assertThat(resumed).isEqualTo(uninterrupted);
    assertThat(epochsRun[0]).as("a one-hot run ignores the factored checkpoint").isEqualTo(4);
  }

  @Test
  void checkpointOfOtherSettingsIsIgnored() {
    MemoryCheckpoint checkpoint = new MemoryCheckpoint();
    train(config(2, 9), TrainingProgress.NONE, checkpoint);
    int[] epochsRun = new int[1];

    CddpmModel other =
        train(config(2, 10), (epoch, epochs, loss, elapsed) -> epochsRun[0]++, checkpoint);

    assertThat(epochsRun[0]).isEqualTo(2);
    assertThat(other)
        .isEqualTo(
            CddpmTrainer.train(manager, features, groups, 2, config(2, 10), TrainingProgress.NONE));
  }
}
