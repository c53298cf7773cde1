package org.mcrage.job;

import java.time.Duration;

/** Measures one stage of a job for its INFO line. */
final class Stage {
  private final long started = System.nanoTime();

  /** Returns the time since the stage started. */
  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Returns the time since the stage started, in milliseconds. */
  long millis() {
    return elapsed().toMillis();
  }
}
