package org.mcrage.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * One workload timed by wall clock and by this process's CPU time, repetition by repetition, so
 * that several workloads can take turns and share whatever load the machine is under.
 */
final class Timed {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final String workload;
  private final Runnable body;
  private final List<Double> seconds = new ArrayList<>();
  private final List<Double> cpuSeconds = new ArrayList<>();

  /**
   * Creates the workload.
   *
   * @param workload its name in the measurement
   * @param body one repetition
   */
  Timed(String workload, Runnable body) {
    this.workload = workload;
    this.body = body;
  }

  /** Runs once, untimed. */
  void warmUp() {
    body.run();
  }

  /** Runs one timed repetition. */
  void repeat() {
    long cpu = OS.getProcessCpuTime();
    long start = System.nanoTime();
    body.run();
    seconds.add((System.nanoTime() - start) / 1e9);
    cpuSeconds.add((OS.getProcessCpuTime() - cpu) / 1e9);
  }

  /**
   * Returns the repetitions as rows per second of wall time, with the median CPU seconds ({@code
   * cpu_s}), rows per CPU second and the cores the process kept busy (CPU over wall time).
   *
   * @param rows rows one repetition handles
   * @return the measurement
   */
  Measurement measurement(long rows) {
    double[] rates = seconds.stream().mapToDouble(s -> rows / s).toArray();
    double[] cores = new double[seconds.size()];
    for (int i = 0; i < cores.length; i++) {
      cores[i] = cpuSeconds.get(i) / seconds.get(i);
    }
    double cpu = Measurement.median(cpuSeconds.stream().mapToDouble(Double::doubleValue).toArray());
    return Measurement.of(workload, rows, "rows/s", rates)
        .with("cpu_s", cpu)
        .with("rows_per_cpu_s", rows / cpu)
        .with("cores_used", Measurement.median(cores));
  }
}
