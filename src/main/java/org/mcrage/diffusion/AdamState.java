package org.mcrage.diffusion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The moments and step counts of DJL's {@link Adam}, copied out for a checkpoint and back in on
 * resume, so that a resumed run continues exactly where the interrupted one stopped.
 *
 * <p>DJL keeps this state in private fields and offers no API for it, so it is reached by
 * reflection (DJL 0.36 field names {@code means}, {@code variances}, {@code updateCounts} and
 * {@code numUpdate}). If a DJL upgrade renames them, {@link #export} returns an empty state and a
 * resumed run restarts the moments: it still finishes, but its weights differ slightly from an
 * uninterrupted run's.
 *
 * @param means first moments by parameter name
 * @param variances second moments by parameter name
 * @param counts optimiser steps by parameter name
 */
record AdamState(
    Map<String, float[]> means, Map<String, float[]> variances, Map<String, Integer> counts) {

  /** Returns a state with no moments. */
  static AdamState empty() {
    return new AdamState(Map.of(), Map.of(), Map.of());
  }

  /**
   * Copies the optimiser's state out.
   *
   * @param optimizer the trainer's Adam
   * @return its state, or an empty one when DJL's fields cannot be reached
   */
  static AdamState export(Optimizer optimizer) {
    try {
      Map<String, Map<Device, NDArray>> means = read(Adam.class, "means", optimizer);
      Map<String, Map<Device, NDArray>> variances = read(Adam.class, "variances", optimizer);
      Map<String, Integer> counts = read(Optimizer.class, "updateCounts", optimizer);
      return new AdamState(toFloats(means), toFloats(variances), new LinkedHashMap<>(counts));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return empty();
    }
  }

  /**
   * Puts this state into a fresh optimiser.
   *
   * @param optimizer a fresh Adam of the same configuration
   * @param manager where the moment arrays live (the training run's manager)
   * @param shapes each parameter's shape
   * @return whether the state was restored
   */
  boolean restore(Optimizer optimizer, NDManager manager, Map<String, Shape> shapes) {
    if (means.isEmpty()) {
      return false;
    }
    try {
      fill(read(Adam.class, "means", optimizer), means, manager, shapes);
      fill(read(Adam.class, "variances", optimizer), variances, manager, shapes);
      Map<String, Integer> updateCounts = read(Optimizer.class, "updateCounts", optimizer);
      updateCounts.putAll(counts);
      Field numUpdate = Optimizer.class.getDeclaredField("numUpdate");
      numUpdate.setAccessible(true);
      numUpdate.setInt(
          optimizer, counts.values().stream().mapToInt(Integer::intValue).max().orElse(0));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static void fill(
      Map<String, Map<Device, NDArray>> target,
      Map<String, float[]> values,
      NDManager manager,
      Map<String, Shape> shapes) {
    for (Map.Entry<String, float[]> entry : values.entrySet()) {
      Map<Device, NDArray> byDevice = new ConcurrentHashMap<>();
      byDevice.put(
          manager.getDevice(), manager.create(entry.getValue(), shapes.get(entry.getKey())));
      target.put(entry.getKey(), byDevice);
    }
  }

  private static Map<String, float[]> toFloats(Map<String, Map<Device, NDArray>> state) {
    Map<String, float[]> values = new LinkedHashMap<>();
    state.forEach(
        (name, byDevice) -> values.put(name, byDevice.values().iterator().next().toFloatArray()));
    return values;
  }

  @SuppressWarnings("unchecked")
  private static <T> T read(Class<?> owner, String name, Object target)
      throws ReflectiveOperationException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return (T) field.get(target);
  }
}
