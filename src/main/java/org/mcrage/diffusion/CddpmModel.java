package org.mcrage.diffusion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A trained conditional diffusion model as plain Java data: its configuration, noise schedule,
 * feature and group counts, the moving-average weights and the per-epoch training loss.
 *
 * <p>It is deliberately not {@link java.io.Serializable}: Spark ships {@link #toBytes()}, a
 * versioned binary format that starts with the magic number {@code MCDP}, and executors rebuild the
 * model with {@link #fromBytes(byte[])}.
 */
public final class CddpmModel {

  /** The first four bytes of every serialised model, ASCII {@code MCDP}. */
  public static final int MAGIC = 0x4D434450;

  /**
   * The format version this build writes; it also reads version 1 (always {@code mlp}) and 2 (no
   * validation split).
   */
  public static final int FORMAT_VERSION = 3;

  private final CddpmConfig config;
  private final NoiseSchedule schedule;
  private final int featureDim;
  private final int numGroups;
  private final List<NamedArray> parameters;
  private final double[] trainingLoss;

  /**
   * Creates a model from its parts.
   *
   * @param config the configuration it was trained with
   * @param schedule the noise schedule it was trained with
   * @param featureDim number of features per row, at least 1
   * @param numGroups number of real groups, at least 1 (the null group is extra)
   * @param parameters the denoiser's weights, in a fixed order
   * @param trainingLoss mean training loss of each epoch, possibly empty
   */
  public CddpmModel(
      CddpmConfig config,
      NoiseSchedule schedule,
      int featureDim,
      int numGroups,
      List<NamedArray> parameters,
      double[] trainingLoss) {
    if (featureDim < 1 || numGroups < 1) {
      throw new IllegalArgumentException(
          "featureDim and numGroups must be >= 1 but were " + featureDim + " and " + numGroups);
    }
    this.config = Objects.requireNonNull(config, "config").validate();
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.featureDim = featureDim;
    this.numGroups = numGroups;
    this.parameters = List.copyOf(parameters);
    this.trainingLoss = trainingLoss.clone();
  }

  /** Returns the configuration the model was trained with. */
  public CddpmConfig config() {
    return config;
  }

  /** Returns the noise schedule the model was trained with. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** Returns the number of features per row. */
  public int featureDim() {
    return featureDim;
  }

  /** Returns the number of real groups; group index {@code numGroups()} is the null group. */
  public int numGroups() {
    return numGroups;
  }

  /** Returns the denoiser's moving-average weights in a fixed order. */
  public List<NamedArray> parameters() {
    return parameters;
  }

  /** Returns the named weight. */
  public NamedArray parameter(String name) {
    for (NamedArray parameter : parameters) {
      if (parameter.name().equals(name)) {
        return parameter;
      }
    }
    throw new IllegalArgumentException("The model has no parameter named " + name);
  }

  /** Returns a copy of the mean training loss of each epoch, first epoch first. */
  public double[] trainingLoss() {
    return trainingLoss.clone();
  }

  /** Returns the model in the versioned binary format read by {@link #fromBytes(byte[])}. */
  public byte[] toBytes() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      writeConfig(out, config);
      writeSchedule(out);
      out.writeInt(featureDim);
      out.writeInt(numGroups);
      writeDoubles(out, trainingLoss);
      writeParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serialise CddpmModel", e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads a model written by {@link #toBytes()}.
   *
   * @throws IllegalArgumentException if the bytes are not a model, come from another format
   *     version, or are truncated
   */
  public static CddpmModel fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = checkHeader(in);
      CddpmConfig config = readConfig(in, version);
      NoiseSchedule schedule = NoiseSchedule.fromBetas(in.readUTF(), readDoubles(in));
      int featureDim = in.readInt();
      int numGroups = in.readInt();
      double[] loss = readDoubles(in);
      return new CddpmModel(config, schedule, featureDim, numGroups, readParameters(in), loss);
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "Cannot read CddpmModel: the bytes end early ("
              + bytes.length
              + " bytes); the file or column is truncated, save the model again",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read CddpmModel", e);
    }
  }

  /** Writes {@link #toBytes()} to a file, replacing it. */
  public void save(Path path) {
    try {
      Files.write(path, toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save CddpmModel to " + path, e);
    }
  }

  /** Reads a model saved by {@link #save(Path)}. */
  public static CddpmModel load(Path path) {
    try {
      return fromBytes(Files.readAllBytes(path));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load CddpmModel from " + path, e);
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof CddpmModel)) {
      return false;
    }
    CddpmModel that = (CddpmModel) other;
    return config.equals(that.config)
        && schedule.equals(that.schedule)
        && featureDim == that.featureDim
        && numGroups == that.numGroups
        && parameters.equals(that.parameters)
        && Arrays.equals(trainingLoss, that.trainingLoss);
  }

  @Override
  public int hashCode() {
    return Objects.hash(config, schedule, featureDim, numGroups, parameters)
        + 31 * Arrays.hashCode(trainingLoss);
  }

  @Override
  public String toString() {
    return "CddpmModel[features="
        + featureDim
        + ", groups="
        + numGroups
        + ", "
        + schedule
        + ", parameters="
        + parameters.size()
        + "]";
  }

  private static int checkHeader(DataInputStream in) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "Cannot read CddpmModel: magic number 0x%08X is not 0x%08X (MCDP); these bytes are "
                  + "not a model written by CddpmModel.toBytes",
              magic,
              MAGIC));
    }
    int version = in.readInt();
    if (version < 1 || version > FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "Cannot read CddpmModel: format version "
              + version
              + " is not supported, this build "
              + "reads version 1 to "
              + FORMAT_VERSION
              + "; retrain the model or use the build that "
              + "wrote it");
    }
    return version;
  }

  private static void writeConfig(DataOutputStream out, CddpmConfig c) throws IOException {
    for (int value :
        new int[] {
          c.hiddenWidth(), c.hiddenLayers(), c.timeEmbeddingDim(), c.groupEmbeddingDim(),
          c.epochs(), c.batchSize(), c.steps(), c.threads()
        }) {
      out.writeInt(value);
    }
    for (double value :
        new double[] {
          c.learningRate(),
          c.contextDropout(),
          c.guidanceWeight(),
          c.emaDecay(),
          c.betaMin(),
          c.betaMax()
        }) {
      out.writeDouble(value);
    }
    out.writeUTF(c.schedule());
    out.writeLong(c.seed());
    out.writeUTF(c.architecture());
    out.writeDouble(c.validationFraction());
  }

  private static CddpmConfig readConfig(DataInputStream in, int version) throws IOException {
    int[] ints = new int[8];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = in.readInt();
    }
    double[] doubles = new double[6];
    for (int i = 0; i < doubles.length; i++) {
      doubles[i] = in.readDouble();
    }
    String schedule = in.readUTF();
    long seed = in.readLong();
    String architecture = version >= 2 ? in.readUTF() : "mlp";
    double validationFraction = version >= 3 ? in.readDouble() : 0.0;
    return new CddpmConfig(
        ints[0],
        ints[1],
        ints[2],
        ints[3],
        ints[4],
        ints[5],
        doubles[0],
        doubles[1],
        doubles[2],
        doubles[3],
        ints[6],
        doubles[4],
        doubles[5],
        schedule,
        seed,
        ints[7],
        architecture,
        validationFraction);
  }

  private void writeSchedule(DataOutputStream out) throws IOException {
    out.writeUTF(schedule.kind());
    writeDoubles(out, schedule.betas());
  }

  private void writeParameters(DataOutputStream out) throws IOException {
    out.writeInt(parameters.size());
    for (NamedArray parameter : parameters) {
      out.writeUTF(parameter.name());
      out.writeInt(parameter.shape().length);
      for (int dim : parameter.shape()) {
        out.writeInt(dim);
      }
      for (float value : parameter.values()) {
        out.writeFloat(value);
      }
    }
  }

  private static List<NamedArray> readParameters(DataInputStream in) throws IOException {
    int count = in.readInt();
    List<NamedArray> parameters = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      int[] shape = new int[in.readInt()];
      for (int k = 0; k < shape.length; k++) {
        shape[k] = in.readInt();
      }
      float[] values = new float[NamedArray.size(shape)];
      for (int k = 0; k < values.length; k++) {
        values[k] = in.readFloat();
      }
      parameters.add(new NamedArray(name, shape, values));
    }
    return parameters;
  }

  private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    for (double value : values) {
      out.writeDouble(value);
    }
  }

  private static double[] readDoubles(DataInputStream in) throws IOException {
    double[] values = new double[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }

  /**
   * One weight tensor of the denoiser: a name, a shape and its values in row-major order.
   *
   * @param name unique name such as {@code hidden0.weight}
   * @param shape dimensions, outermost first
   * @param values row-major values; their count is the product of the shape
   */
  public record NamedArray(String name, int[] shape, float[] values) {

    /** Checks that the values fill the shape and keeps private copies of both arrays. */
    public NamedArray {
      Objects.requireNonNull(name, "name");
      shape = shape.clone();
      values = values.clone();
      if (values.length != size(shape)) {
        throw new IllegalArgumentException(
            "Parameter "
                + name
                + " has shape "
                + Arrays.toString(shape)
                + " but "
                + values.length
                + " values");
      }
    }

    /** Returns a copy of the shape. */
    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Returns a copy of the values. */
    @Override
    public float[] values() {
      return values.clone();
    }

    static int size(int[] shape) {
      long size = 1;
      for (int dim : shape) {
        if (dim < 0) {
          throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
        }
        size *= dim;
      }
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
      }
      return (int) size;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof NamedArray
          && name.equals(((NamedArray) other).name)
          && Arrays.equals(shape, ((NamedArray) other).shape)
          && Arrays.equals(values, ((NamedArray) other).values);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
      return "NamedArray[" + name + ", shape=" + Arrays.toString(shape) + "]";
    }
  }
}
