package org.mcrage.diffusion;

import java.util.Optional;

/**
 * Where {@link CddpmTrainer} saves its state every few epochs and finds it again, so that a run
 * killed during training resumes from its last checkpoint instead of starting over.
 *
 * <p>The state is opaque bytes (weights, moving averages, optimiser moments, losses and the epoch
 * reached) tagged with a fingerprint of the configuration and training data; a checkpoint whose
 * fingerprint does not match is ignored, so a rerun with other settings trains from scratch. The
 * trainer also saves after the last epoch, so a run killed after training skips it on the rerun.
 */
public interface TrainingCheckpoint {

  /** Never saves and never resumes. */
  TrainingCheckpoint NONE =
      new TrainingCheckpoint() {
        @Override
        public int every() {
          return 0;
        }

        @Override
        public Optional<byte[]> load() {
          return Optional.empty();
        }

        @Override
        public void save(byte[] state) {}
      };

  /** Returns the epochs between saves; 0 saves nothing. */
  int every();

  /**
   * Returns the last saved state, if any.
   *
   * @return the bytes given to the last {@link #save}, or empty
   */
  Optional<byte[]> load();

  /**
   * Saves the state, replacing the previous one atomically (a reader sees the old or the new).
   *
   * @param state the trainer's state
   */
  void save(byte[] state);
}
