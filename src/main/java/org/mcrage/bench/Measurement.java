package org.mcrage.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark figure: the median of several timed repetitions after warm-up, printed as one JSON
 * line.
 *
 * @param workload what was measured, e.g. {@code train.ours.batch128}
 * @param size the workload's size (rows, steps), in the unit's terms
 * @param unit the unit of {@code median}, e.g. {@code steps/s}
 * @param median the median over the repetitions
 * @param repetitions every timed repetition's value
 * @param extra further figures (ratios, FLOP rates), by name
 */
public record Measurement(
    String workload,
    long size,
    String unit,
    double median,
    double[] repetitions,
    Map<String, Object> extra) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Creates a measurement from its repetitions.
   *
   * @param workload what was measured
   * @param size the workload's size
   * @param unit the unit
   * @param repetitions each timed repetition's value
   * @return the measurement, with no extra figures yet
   */
  public static Measurement of(String workload, long size, String unit, double... repetitions) {
    return new Measurement(
        workload, size, unit, median(repetitions), repetitions.clone(), new LinkedHashMap<>());
  }

  /**
   * Adds a figure.
   *
   * @param name its name
   * @param value its value
   * @return this measurement
   */
  public Measurement with(String name, Object value) {
    extra.put(name, value);
    return this;
  }

  /** Returns the measurement as one line of JSON. */
  public String toJson() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("workload", workload);
    line.put("size", size);
    line.put("median", median);
    line.put("unit", unit);
    line.put("repetitions", repetitions);
    line.putAll(extra);
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Returns the median of some values.
   *
   * @param values at least one value
   * @return the median
   */
  public static double median(double... values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
