package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CddpmConfigTest {

  @Test
  void defaultsMatchTheDocumentedValues() {
    CddpmConfig config = CddpmConfig.defaults();

    assertThat(config.hiddenWidth()).isEqualTo(256);
    assertThat(config.epochs()).isEqualTo(200);
    assertThat(config.guidanceWeight()).isEqualTo(0.0);
    assertThat(config.steps()).isZero();
    assertThat(config.schedule()).isEqualTo("linear");
  }

  @Test
  void zeroStepsTakesTheBoundAndExplicitStepsWin() {
    CddpmConfig config = CddpmConfig.defaults();

    assertThat(config.noiseSchedule(10.0).steps()).isEqualTo(44);
    assertThat(config.toBuilder().steps(7).build().noiseSchedule(10.0).steps()).isEqualTo(7);
  }

  @Test
  void badSettingsAreNamedWithTheirValue() {
    assertThatThrownBy(() -> CddpmConfig.builder().guidanceWeight(25).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("guidanceWeight was 25.0; set it to a value in [0, 20]");
    assertThatThrownBy(() -> CddpmConfig.builder().schedule("quadratic").build())
        .hasMessageContaining("schedule was quadratic");
    assertThatThrownBy(() -> CddpmConfig.builder().batchSize(0).build())
        .hasMessageContaining("batchSize was 0");
    assertThatThrownBy(() -> CddpmConfig.builder().timeEmbeddingDim(5).build())
        .hasMessageContaining("timeEmbeddingDim was 5");
  }
}
