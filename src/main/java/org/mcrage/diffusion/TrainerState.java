package org.mcrage.diffusion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The trainer's state after a whole epoch, in the byte format a {@link TrainingCheckpoint} keeps.
 *
 * @param fingerprint digest of the configuration and training data the state belongs to
 * @param epoch epochs completed
 * @param updates optimiser steps taken
 * @param losses mean loss of each completed epoch
 * @param weights the denoiser's weights by name
 * @param averages their moving averages by name
 * @param adam the optimiser's moments and step counts
 */
record TrainerState(
    String fingerprint,
    int epoch,
    long updates,
    double[] losses,
    Map<String, float[]> weights,
    Map<String, float[]> averages,
    AdamState adam) {

  private static final int MAGIC = 0x4D434B50;
  private static final int FORMAT_VERSION = 1;

  /**
   * Returns the digest of what a checkpoint must match: config, group count, the conditioning
   * matrix (unless one-hot, whose digest is that of earlier builds) and the data.
   */
  static String fingerprint(
      CddpmConfig config, float[][] features, int[] groups, Conditioning conditioning) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(config.toString().getBytes(StandardCharsets.UTF_8));
      int numGroups = conditioning.numGroups();
      digest.update(ByteBuffer.allocate(8).putInt(numGroups).putInt(features.length).array());
      if (!conditioning.isPerGroup()) {
        float[] matrix = conditioning.values();
        ByteBuffer values = ByteBuffer.allocate(4 * matrix.length);
        values.asFloatBuffer().put(matrix);
        digest.update(values.array());
      }
      ByteBuffer row = ByteBuffer.allocate(4 * (features[0].length + 1));
      for (int i = 0; i < features.length; i++) {
        row.clear();
        row.putInt(groups[i]);
        for (float value : features[i]) {
          row.putFloat(value);
        }
        digest.update(row.array(), 0, row.position());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Returns the state in its versioned byte format. */
  byte[] toBytes() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeUTF(fingerprint);
      out.writeInt(epoch);
      out.writeLong(updates);
      out.writeInt(losses.length);
      for (double loss : losses) {
        out.writeDouble(loss);
      }
      writeArrays(out, weights);
      writeArrays(out, averages);
      writeArrays(out, adam.means());
      writeArrays(out, adam.variances());
      out.writeInt(adam.counts().size());
      for (Map.Entry<String, Integer> count : adam.counts().entrySet()) {
        out.writeUTF(count.getKey());
        out.writeInt(count.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialise the trainer state", e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads a state written by {@link #toBytes()}.
   *
   * @param bytes the checkpoint's bytes
   * @return the state, or empty when the bytes are not a state of this format (truncated, say)
   */
  static Optional<TrainerState> fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT_VERSION) {
        return Optional.empty();
      }
      String fingerprint = in.readUTF();
      int epoch = in.readInt();
      long updates = in.readLong();
      double[] losses = new double[in.readInt()];
      for (int i = 0; i < losses.length; i++) {
        losses[i] = in.readDouble();
      }
      Map<String, float[]> weights = readArrays(in);
      Map<String, float[]> averages = readArrays(in);
      Map<String, float[]> means = readArrays(in);
      Map<String, float[]> variances = readArrays(in);
      Map<String, Integer> counts = new LinkedHashMap<>();
      int countEntries = in.readInt();
      for (int i = 0; i < countEntries; i++) {
        counts.put(in.readUTF(), in.readInt());
      }
      return Optional.of(
          new TrainerState(
              fingerprint,
              epoch,
              updates,
              losses,
              weights,
              averages,
              new AdamState(means, variances, counts)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void writeArrays(DataOutputStream out, Map<String, float[]> arrays)
      throws IOException {
    out.writeInt(arrays.size());
    for (Map.Entry<String, float[]> entry : arrays.entrySet()) {
      out.writeUTF(entry.getKey());
      out.writeInt(entry.getValue().length);
      for (float value : entry.getValue()) {
        out.writeFloat(value);
      }
    }
  }

  private static Map<String, float[]> readArrays(DataInputStream in) throws IOException {
    Map<String, float[]> arrays = new LinkedHashMap<>();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      float[] values = new float[in.readInt()];
      for (int k = 0; k < values.length; k++) {
        values[k] = in.readFloat();
      }
      arrays.put(name, values);
    }
    return arrays;
  }
}
