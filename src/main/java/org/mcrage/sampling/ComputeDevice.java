package org.mcrage.sampling;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;

/**
 * Turns the {@code device} setting ({@code cpu}, {@code gpu} or {@code auto}) into the DJL device
 * that training (on the driver) and sampling (in each executor task) run on.
 *
 * <p>{@code auto} takes the first GPU when the PyTorch build on the class path sees one, and the
 * CPU otherwise; {@code gpu} insists on one and stops with a {@link McrageException} when there is
 * none (the CPU build of libtorch sees no GPU even on a GPU machine). A Spark task given GPUs by
 * {@code spark.task.resource.gpu.amount} passes its first assigned address, so that tasks sharing
 * an executor use the GPUs the scheduler gave them.
 */
public final class ComputeDevice {
  private ComputeDevice() {}

  /**
   * Resolves the device for work that Spark did not assign a GPU to (training on the driver).
   *
   * @param setting the {@code device} setting
   * @return the device
   */
  public static Device resolve(String setting) {
    return resolve(setting, -1);
  }

  /**
   * Resolves the device, preferring a GPU address Spark assigned to the task.
   *
   * @param setting the {@code device} setting
   * @param assignedGpu the GPU index Spark assigned, or -1 for none
   * @return the device
   */
  public static Device resolve(String setting, int assignedGpu) {
    String choice = setting.toLowerCase(Locale.ROOT);
    int gpus = gpuCount();
    return switch (choice) {
      case "cpu" -> Device.cpu();
      case "auto" -> gpus > 0 ? Device.gpu(gpuIndex(assignedGpu, gpus)) : Device.cpu();
      case "gpu" -> {
        if (gpus == 0) {
          throw new McrageException(
              "device is 'gpu' but DJL's PyTorch engine finds no GPU on this machine",
              "Run on a machine with an NVIDIA GPU and the CUDA build of PyTorch (pass the"
                  + " pytorch-native-cu128 jar instead of pytorch-native-cpu, or set"
                  + " PYTORCH_LIBRARY_PATH to a CUDA libtorch), or set --device cpu or auto");
        }
        yield Device.gpu(gpuIndex(assignedGpu, gpus));
      }
      default ->
          throw new McrageException(
              Settings.DEVICE.key() + " '" + setting + "' is not a device", "Use cpu, gpu or auto");
    };
  }

  /** Returns how many GPUs the PyTorch engine sees (0 with the CPU build of libtorch). */
  public static int gpuCount() {
    return Engine.getEngine("PyTorch").getGpuCount();
  }

  private static int gpuIndex(int assignedGpu, int gpus) {
    return assignedGpu >= 0 && assignedGpu < gpus ? assignedGpu : 0;
  }
}
