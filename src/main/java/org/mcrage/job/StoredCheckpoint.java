package org.mcrage.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.mcrage.config.JobConfig;
import org.mcrage.config.Settings;
import org.mcrage.diffusion.TrainingCheckpoint;
import org.mcrage.io.RunStore;

/**
 * The training checkpoint of one run id, kept by its {@link RunStore} beside the output table,
 * every {@code model.checkpoint-every} epochs.
 */
final class StoredCheckpoint implements TrainingCheckpoint {
  private final RunStore store;
  private final int every;

  StoredCheckpoint(RunStore store, JobConfig config) {
    this.store = store;
    this.every = config.get(Settings.CHECKPOINT_EVERY);
  }

  @Override
  public int every() {
    return every;
  }

  @Override
  public Optional<byte[]> load() {
    if (every <= 0) {
      return Optional.empty();
    }
    try {
      return store.readCheckpoint();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the checkpoint " + store.checkpointPath(), e);
    }
  }

  @Override
  public void save(byte[] state) {
    try {
      store.writeCheckpoint(state);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the checkpoint " + store.checkpointPath(), e);
    }
  }
}
