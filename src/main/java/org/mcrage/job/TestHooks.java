package org.mcrage.job;

import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * A test hook, off unless the system property {@value #PROPERTY} is set: it stops the job at a
 * chosen stage so that a fault test can kill the process there.
 *
 * <p>With {@code -Dmcrage.test.pause-at=train}, training pauses after its first checkpoint; with
 * {@code sample}, the job pauses when the sampling stage starts; with {@code write}, every write
 * task but the first pauses before its first row, while the first writes its data file, so the
 * Delta commit has not happened yet. At the pause the job prints {@value #MARKER} and the stage to
 * standard output and sleeps for ten minutes. Never set it in production.
 */
public final class TestHooks {
  /** The system property naming the stage to pause at: train, sample or write. */
  public static final String PROPERTY = "mcrage.test.pause-at";

  /** The line prefix printed at the pause. */
  public static final String MARKER = "MCRAGE-TEST-PAUSED";

  private static final long PAUSE_MILLIS = 600_000;

  private TestHooks() {}

  /** Returns whether the hook pauses at the stage. */
  static boolean pausesAt(String stage) {
    return stage.equals(System.getProperty(PROPERTY));
  }

  /** Pauses here if the hook names the stage. */
  static void pauseAt(String stage) {
    if (pausesAt(stage)) {
      pause(stage);
    }
  }

  /** Returns the rows, made to pause in every write task but the first if the hook says so. */
  static Dataset<Row> pausingWrite(Dataset<Row> rows) {
    if (!pausesAt("write")) {
      return rows;
    }
    return rows.mapPartitions(new PauseAfterFirstTask(), Encoders.row(rows.schema()));
  }

  private static void pause(String stage) {
    System.out.println(MARKER + " " + stage);
    System.out.flush();
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets partition 0 through and pauses every other partition before its first row. */
  private static final class PauseAfterFirstTask implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      TaskContext task = TaskContext.get();
      if (task != null && task.partitionId() > 0) {
        pause("write");
      }
      return rows;
    }
  }
}
