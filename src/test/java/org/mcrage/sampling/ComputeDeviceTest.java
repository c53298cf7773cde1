package org.mcrage.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mcrage.config.ConfigResolver;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;

class ComputeDeviceTest {

  @Test
  void autoFallsBackToTheCpuWhenTheEngineSeesNoGpu() {
    assertThat(ComputeDevice.gpuCount()).isZero();

    assertThat(ComputeDevice.resolve("auto")).isEqualTo(Device.cpu());
    assertThat(ComputeDevice.resolve("AUTO", 1)).isEqualTo(Device.cpu());
  }

  @Test
  void cpuIsTheCpu() {
    assertThat(ComputeDevice.resolve("cpu")).isEqualTo(Device.cpu());
  }

  @Test
  void gpuWithoutOneStopsWithAClearError() {
    assertThatThrownBy(() -> ComputeDevice.resolve("gpu"))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("device is 'gpu'")
        .hasMessageContaining("finds no GPU")
        .hasMessageContaining("pytorch-native-cu128")
        .hasMessageContaining("PYTORCH_LIBRARY_PATH");
  }

  @Test
  void theSettingRejectsAnUnknownDeviceAndDefaultsToAuto() {
    assertThat(ConfigResolver.resolve(Map.of(), Map.of(), Optional.empty()).get(Settings.DEVICE))
        .isEqualTo("auto");

    assertThatThrownBy(
            () -> ConfigResolver.resolve(Map.of(), Map.of("device", "tpu"), Optional.empty()))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("device")
        .hasMessageContaining("tpu");
  }
}
