package org.mcrage.diffusion;

import java.time.Duration;

/** Receives the mean loss after every training epoch, for a progress bar or a metrics sink. */
@FunctionalInterface
public interface TrainingProgress {

  /** A listener that ignores every epoch. */
  TrainingProgress NONE = (epoch, epochs, meanLoss, elapsed) -> {};

  /**
   * Called after each epoch.
   *
   * @param epoch the epoch just finished, counted from 1
   * @param epochs the number of epochs in the run
   * @param meanLoss the epoch's mean squared error of the predicted noise, per row
   * @param elapsed wall time since training started
   */
  void onEpoch(int epoch, int epochs, double meanLoss, Duration elapsed);
}
