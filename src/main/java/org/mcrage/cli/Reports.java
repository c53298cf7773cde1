package org.mcrage.cli;

import org.mcrage.job.RebalanceJob;

/** What the commands print for a person when they finish. */
final class Reports {
  private Reports() {}

  static void printRebalance(RebalanceJob.Result result) {
    System.out.print(result.groups().render());
    System.out.printf(
        "%nRun %s wrote %d real + %d synthetic rows to the Delta table %s (version %d).%n",
        result.runId(),
        result.realRows(),
        result.syntheticRows(),
        result.output(),
        result.tableVersion());
    System.out.printf(
        "Manifest and model: %s/_mcrage/runs/%s/%n"
            + "Query it: SELECT mcrage_group, mcrage_synthetic, count(*) FROM delta.`%s`"
            + " GROUP BY 1, 2 ORDER BY 1, 2%n",
        result.output(), result.runId(), result.output());
  }
}
