package org.mcrage.sampling;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.mcrage.diffusion.CddpmModel;
import org.mcrage.diffusion.CddpmSampler;

/**
 * The models loaded in this JVM: each model is parsed once per executor, and each task thread gets
 * its own sampler over it (its own native arrays), so concurrent tasks never share mutable DJL
 * state.
 *
 * <p>PyTorch's intra-op threads (a process-wide setting) are sized to the task's cores ({@code
 * spark.task.cpus}), so the tasks an executor runs side by side never oversubscribe its cores: an
 * executor with 4 cores and {@code spark.task.cpus=1} runs 4 tasks of 1 thread each. In local mode
 * the driver is the executor, so this also applies to the driver after training. Samplers live as
 * long as the executor: they are small (the denoiser's weights) and the next job on the same
 * executors reuses them.
 *
 * <p>The device comes from the {@code device} setting; a task that Spark gave GPUs ({@code
 * spark.task.resource.gpu.amount}) samples on the first GPU address it was assigned.
 */
final class ExecutorModels {
  private static final Map<String, CddpmModel> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, CddpmSampler> SAMPLERS = new ConcurrentHashMap<>();

  private ExecutorModels() {}

  /**
   * Returns this thread's sampler for a model, loading the model on first use.
   *
   * @param modelKey a digest of the model bytes
   * @param modelBytes the serialised model (read only on first use)
   * @param deviceSetting the {@code device} setting: cpu, gpu or auto
   * @param options the reverse steps each row takes
   * @return the sampler
   */
  static CddpmSampler sampler(
      String modelKey, byte[] modelBytes, String deviceSetting, CddpmSampler.Options options) {
    sizeThreads();
    Device device = ComputeDevice.resolve(deviceSetting, assignedGpu());
    CddpmModel model = MODELS.computeIfAbsent(modelKey, key -> CddpmModel.fromBytes(modelBytes));
    String samplerKey =
        modelKey + "@" + Thread.currentThread().getId() + "@" + device + "@" + options;
    return SAMPLERS.computeIfAbsent(
        samplerKey, key -> new CddpmSampler(model, NDManager.newBaseManager(device), options));
  }

  private static int assignedGpu() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return -1;
    }
    ResourceInformation gpus = task.resourcesJMap().get("gpu");
    if (gpus == null || gpus.addresses().length == 0) {
      return -1;
    }
    try {
      return Integer.parseInt(gpus.addresses()[0].trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Sizes PyTorch's intra-op threads to the task's cores on every task: the setting is per calling
   * thread under OpenMP, and training in the same JVM may have changed it, so it is never cached.
   * The same thread count also keeps results bit-identical from run to run.
   */
  private static void sizeThreads() {
    TaskContext task = TaskContext.get();
    int cpus = task == null ? 0 : Math.max(1, task.cpus());
    if (cpus > 0) {
      JniUtils.setNumThreads(cpus);
    }
  }
}
