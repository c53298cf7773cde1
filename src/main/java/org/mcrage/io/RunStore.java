package org.mcrage.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps each run's manifest, trained model and training checkpoint beside the output table, under
 * {@code _mcrage/runs/<run-id>/}.
 *
 * <p>Delta ignores folders whose name starts with an underscore, so these files neither appear in
 * the table nor get removed by {@code VACUUM}. Each file is written to a temporary name and then
 * renamed, so a reader never sees half a file.
 */
public final class RunStore {
  /** The folder beside the table's data. */
  public static final String FOLDER = "_mcrage";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Configuration hadoop;
  private final Path runFolder;

  /**
   * Creates the store of one run.
   *
   * @param hadoop the Hadoop configuration (file systems, credentials)
   * @param tableLocation the output table path
   * @param runId the run id
   */
  public RunStore(Configuration hadoop, String tableLocation, String runId) {
    this.hadoop = hadoop;
    this.runFolder = new Path(new Path(new Path(tableLocation, FOLDER), "runs"), runId);
  }

  /** Returns the path of the run's manifest. */
  public Path manifestPath() {
    return new Path(runFolder, "manifest.json");
  }

  /** Returns the path of the run's trained model. */
  public Path modelPath() {
    return new Path(runFolder, "model.cddpm");
  }

  /**
   * Writes the manifest.
   *
   * @param manifest plain maps, lists, strings and numbers
   * @throws IOException when the file system fails
   */
  public void writeManifest(Map<String, Object> manifest) throws IOException {
    write(manifestPath(), JSON.writeValueAsBytes(manifest));
  }

  /**
   * Reads the manifest back.
   *
   * @return the manifest as plain maps and lists
   * @throws IOException when it is missing or unreadable
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readManifest() throws IOException {
    return JSON.readValue(read(manifestPath()), Map.class);
  }

  /**
   * Writes the model's bytes.
   *
   * @param model the serialised model
   * @throws IOException when the file system fails
   */
  public void writeModel(byte[] model) throws IOException {
    write(modelPath(), model);
  }

  /**
   * Reads the model's bytes.
   *
   * @return the serialised model
   * @throws IOException when it is missing or unreadable
   */
  public byte[] readModel() throws IOException {
    return read(modelPath());
  }

  /** Returns the path of the run's training checkpoint. */
  public Path checkpointPath() {
    return new Path(runFolder, "checkpoint");
  }

  /**
   * Replaces the training checkpoint.
   *
   * @param state the trainer's state
   * @throws IOException when the file system fails
   */
  public void writeCheckpoint(byte[] state) throws IOException {
    write(checkpointPath(), state);
  }

  /**
   * Reads the training checkpoint, if a previous attempt of this run left one.
   *
   * @return the trainer's state, or empty
   * @throws IOException when it exists but cannot be read
   */
  public Optional<byte[]> readCheckpoint() throws IOException {
    Path path = checkpointPath();
    return path.getFileSystem(hadoop).exists(path) ? Optional.of(read(path)) : Optional.empty();
  }

  /**
   * Deletes the training checkpoint once the run has committed its rows.
   *
   * @throws IOException when the file system fails
   */
  public void deleteCheckpoint() throws IOException {
    Path path = checkpointPath();
    path.getFileSystem(hadoop).delete(path, false);
  }

  private void write(Path target, byte[] bytes) throws IOException {
    FileSystem fs = target.getFileSystem(hadoop);
    Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try (OutputStream out = fs.create(temporary, true)) {
      out.write(bytes);
    }
    fs.delete(target, false);
    if (!fs.rename(temporary, target)) {
      throw new IOException("Cannot rename " + temporary + " to " + target);
    }
  }

  private byte[] read(Path source) throws IOException {
    try (InputStream in = source.getFileSystem(hadoop).open(source)) {
      return in.readAllBytes();
    }
  }
}
