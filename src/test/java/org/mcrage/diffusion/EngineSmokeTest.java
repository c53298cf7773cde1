package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Checks that DJL's PyTorch engine starts offline from the native jar on the class path. */
class EngineSmokeTest {

  @Test
  void pytorchEngineLoadsOfflineAndComputes() {
    Engine engine = Engine.getEngine("PyTorch");

    try (NDManager manager = engine.newBaseManager()) {
      NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();

      assertThat(sum.getFloat()).isEqualTo(6f);
    }
  }
}
