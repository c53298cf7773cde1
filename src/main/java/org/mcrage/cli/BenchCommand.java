package org.mcrage.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.mcrage.bench.Benchmarks;
import org.mcrage.bench.Measurement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mcrage bench}: measures speed and prints one JSON line per measurement. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure speed; one JSON line per measurement (median of timed repetitions).",
      "Workloads: train, sample, groups, sample-spark, rebalance, smote, all."
    })
final class BenchCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", description = "what to measure")
  List<String> workloads;

  @Option(names = "--reps", description = "timed repetitions (default: ${DEFAULT-VALUE})")
  int repetitions = 5;

  @Option(
      names = "--rows",
      description = "table rows for groups/rebalance/smote (default: per workload)")
  long rows = 0;

  @Option(names = "--master", description = "Spark master (default: ${DEFAULT-VALUE})")
  String master = "local[2]";

  @Option(names = "--dir", description = "scratch folder for generated tables")
  Path folder = Path.of(System.getProperty("java.io.tmpdir"), "mcrage-bench");

  @Override
  public Integer call() {
    Consumer<Measurement> out = measurement -> System.out.println(measurement.toJson());
    Benchmarks benchmarks = new Benchmarks(folder, repetitions, rows, master, out);
    for (String workload : workloads) {
      benchmarks.run(workload);
    }
    benchmarks.close();
    return 0;
  }
}
