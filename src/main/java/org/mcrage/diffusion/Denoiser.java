package org.mcrage.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The noise-predicting network, in one of three architectures ({@link CddpmConfig#architecture()}).
 *
 * <ul>
 *   <li>{@code mlp}: concat(x_t, step embedding, group embedding) through SiLU hidden layers to a
 *       linear output of one noise value per feature.
 *   <li>{@code resmlp}: the concatenation projected to the hidden width, then residual blocks h +
 *       W2 SiLU(W1 LayerNorm(h)), and a linear output of SiLU(LayerNorm(h)).
 *   <li>{@code paper}: the published network: GELU hidden layers and a GELU on the output, which
 *       cannot predict noise below about -0.17 (kept to reproduce the paper's results).
 * </ul>
 *
 * <p>Every operation is called on the batch-side array first, so its result lands in the batch's
 * manager and never in the manager that holds the weights.
 */
final class Denoiser {

  static final String TIME_WEIGHT = "time.weight";
  static final String TIME_BIAS = "time.bias";
  static final String GROUP_TABLE = "group.table";
  static final String OUTPUT_WEIGHT = "output.weight";
  static final String OUTPUT_BIAS = "output.bias";

  private static final double MAX_PERIOD = 10_000.0;

  static final String INPUT_WEIGHT = "input.weight";
  static final String INPUT_BIAS = "input.bias";
  private static final float LAYER_NORM_EPSILON = 1e-5f;

  private final Map<String, NDArray> weights;
  private final int hiddenLayers;
  private final String architecture;

  /** Wraps weights named as in {@link #layout}; the map is read, never copied. */
  Denoiser(Map<String, NDArray> weights, CddpmConfig config) {
    this.weights = weights;
    this.hiddenLayers = config.hiddenLayers();
    this.architecture = config.architecture();
  }

  /** One weight tensor's name, shape and how to initialise it. */
  record Spec(String name, int[] shape, Init init) {}

  /** How a weight starts out. */
  enum Init {
    XAVIER_UNIFORM,
    ZEROS,
    STANDARD_NORMAL
  }

  /**
   * Returns the weights of a denoiser for the given data and configuration, in a fixed order; the
   * group table has one row per column of the conditioning vector.
   */
  static List<Spec> layout(int featureDim, Conditioning conditioning, CddpmConfig config) {
    int time = config.timeEmbeddingDim();
    int width = config.hiddenWidth();
    List<Spec> specs = new ArrayList<>();
    specs.add(new Spec(TIME_WEIGHT, new int[] {time, time}, Init.XAVIER_UNIFORM));
    specs.add(new Spec(TIME_BIAS, new int[] {time}, Init.ZEROS));
    specs.add(
        new Spec(
            GROUP_TABLE,
            new int[] {conditioning.columns(), config.groupEmbeddingDim()},
            Init.STANDARD_NORMAL));
    int inputs = featureDim + time + config.groupEmbeddingDim();
    if ("resmlp".equals(config.architecture())) {
      residualLayout(specs, inputs, width, config.hiddenLayers());
      inputs = width;
    }
    for (int layer = 0;
        !"resmlp".equals(config.architecture()) && layer < config.hiddenLayers();
        layer++) {
      specs.add(new Spec(hiddenWeight(layer), new int[] {inputs, width}, Init.XAVIER_UNIFORM));
      specs.add(new Spec(hiddenBias(layer), new int[] {width}, Init.ZEROS));
      inputs = width;
    }
    specs.add(new Spec(OUTPUT_WEIGHT, new int[] {width, featureDim}, Init.XAVIER_UNIFORM));
    specs.add(new Spec(OUTPUT_BIAS, new int[] {featureDim}, Init.ZEROS));
    return specs;
  }

  private static void residualLayout(List<Spec> specs, int inputs, int width, int blocks) {
    specs.add(new Spec(INPUT_WEIGHT, new int[] {inputs, width}, Init.XAVIER_UNIFORM));
    specs.add(new Spec(INPUT_BIAS, new int[] {width}, Init.ZEROS));
    for (int block = 0; block < blocks; block++) {
      specs.add(new Spec(hiddenWeight(block), new int[] {width, width}, Init.XAVIER_UNIFORM));
      specs.add(new Spec(hiddenBias(block), new int[] {width}, Init.ZEROS));
      specs.add(new Spec(residualWeight(block), new int[] {width, width}, Init.XAVIER_UNIFORM));
      specs.add(new Spec(residualBias(block), new int[] {width}, Init.ZEROS));
    }
  }

  /**
   * Returns the sinusoidal features of step t: sin(t f_k) then cos(t f_k) with f_k =
   * 10000^(-k/half), k = 0..half-1.
   */
  static float[] stepFeatures(int t, int dim) {
    int half = dim / 2;
    float[] features = new float[dim];
    for (int k = 0; k < half; k++) {
      double angle = t * Math.exp(-Math.log(MAX_PERIOD) * k / half);
      features[k] = (float) Math.sin(angle);
      features[half + k] = (float) Math.cos(angle);
    }
    return features;
  }

  /** Maps step features [rows, timeDim] to the learned step embedding SiLU(f W + b). */
  NDArray timeEmbedding(NDArray stepFeatures) {
    return silu(stepFeatures.matMul(weights.get(TIME_WEIGHT)).add(weights.get(TIME_BIAS)));
  }

  /**
   * Looks groups up in the embedding table by their conditioning vectors [rows, table rows]:
   * one-hot rows pick a group's embedding, multi-hot rows sum the embeddings they set.
   */
  NDArray groupEmbedding(NDArray conditions) {
    return conditions.matMul(weights.get(GROUP_TABLE));
  }

  /** Predicts the noise [rows, featureDim] in x_t from x_t and the two embeddings. */
  NDArray predictNoise(NDArray noisy, NDArray timeEmbedding, NDArray groupEmbedding) {
    NDArray hidden = noisy.concat(timeEmbedding, 1).concat(groupEmbedding, 1);
    if ("resmlp".equals(architecture)) {
      return residualNoise(hidden);
    }
    boolean paper = "paper".equals(architecture);
    for (int layer = 0; layer < hiddenLayers; layer++) {
      NDArray linear =
          hidden.matMul(weights.get(hiddenWeight(layer))).add(weights.get(hiddenBias(layer)));
      hidden = paper ? Activation.gelu(linear) : silu(linear);
    }
    NDArray output = hidden.matMul(weights.get(OUTPUT_WEIGHT)).add(weights.get(OUTPUT_BIAS));
    return paper ? Activation.gelu(output) : output;
  }

  private NDArray residualNoise(NDArray input) {
    NDArray hidden = input.matMul(weights.get(INPUT_WEIGHT)).add(weights.get(INPUT_BIAS));
    for (int block = 0; block < hiddenLayers; block++) {
      NDArray inner =
          silu(
              layerNorm(hidden)
                  .matMul(weights.get(hiddenWeight(block)))
                  .add(weights.get(hiddenBias(block))));
      hidden =
          hidden.add(
              inner
                  .matMul(weights.get(residualWeight(block)))
                  .add(weights.get(residualBias(block))));
    }
    return silu(layerNorm(hidden)).matMul(weights.get(OUTPUT_WEIGHT)).add(weights.get(OUTPUT_BIAS));
  }

  private static NDArray layerNorm(NDArray input) {
    NDArray centred = input.sub(input.mean(new int[] {1}, true));
    NDArray variance = centred.square().mean(new int[] {1}, true);
    return centred.div(variance.add(LAYER_NORM_EPSILON).sqrt());
  }

  static String residualWeight(int block) {
    return "block" + block + ".residual.weight";
  }

  static String residualBias(int block) {
    return "block" + block + ".residual.bias";
  }

  static String hiddenWeight(int layer) {
    return "hidden" + layer + ".weight";
  }

  static String hiddenBias(int layer) {
    return "hidden" + layer + ".bias";
  }

  private static NDArray silu(NDArray input) {
    return input.mul(Activation.sigmoid(input));
  }
}
