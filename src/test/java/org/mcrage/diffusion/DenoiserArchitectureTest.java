package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DenoiserArchitectureTest {

  private static float[][] rows() {
    float[][] rows = new float[40][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {(i % 7) / 3f - 1f, (i % 5) / 2f - 1f};
    }
    return rows;
  }

  private static CddpmModel train(CddpmConfig config) {
    int[] groups = new int[40];
    Arrays.fill(groups, 20, 40, 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      return CddpmTrainer.train(manager, rows(), groups, 2, config, TrainingProgress.NONE);
    }
  }

  @Test
  void paperPresetBuildsThePublishedSettings() {
    CddpmConfig paper = CddpmConfig.preset("paper").build();

    assertThat(paper.architecture()).isEqualTo("paper");
    assertThat(paper.hiddenWidth()).isEqualTo(576);
    assertThat(paper.steps()).isEqualTo(35);
    assertThat(paper.betaMin()).isEqualTo(1e-10);
    assertThat(paper.betaMax()).isEqualTo(0.2);
    assertThat(paper.guidanceWeight()).isEqualTo(3.0);
    assertThat(paper.epochs()).isEqualTo(1000);
    assertThat(paper.noiseSchedule(5.0).steps()).isEqualTo(35);
  }

  @Test
  void paperDenoiserCannotPredictNoiseBelowTheGeluMinimum() {
    CddpmConfig config =
        CddpmConfig.preset("paper").hiddenWidth(16).hiddenLayers(1).epochs(2).build();

    CddpmModel model = train(config);
    try (NDManager manager = NDManager.newBaseManager();
        CddpmSampler sampler = new CddpmSampler(model, manager)) {
      assertThat(sampler.sample(0, 50, 3L)).hasNumberOfRows(50);
      assertThat(CddpmModel.fromBytes(model.toBytes()).config().architecture()).isEqualTo("paper");
      float[] gelu =
          ai.djl.nn.Activation.gelu(manager.create(new float[] {-3f, -0.75f, 2f})).toFloatArray();
      assertThat(gelu[1]).isGreaterThan(-0.18f);
    }
  }

  @Test
  void residualModelSurvivesTheBytesRoundTripAndSamples() {
    CddpmConfig config =
        CddpmConfig.preset("resmlp").hiddenWidth(8).hiddenLayers(2).steps(10).epochs(3).build();
    CddpmModel model = train(config);

    CddpmModel copy = CddpmModel.fromBytes(model.toBytes());

    assertThat(copy).isEqualTo(model);
    assertThat(copy.config().architecture()).isEqualTo("resmlp");
    assertThat(copy.parameter(Denoiser.residualWeight(1)).shape()).containsExactly(8, 8);
    try (NDManager manager = NDManager.newBaseManager();
        CddpmSampler a = new CddpmSampler(model, manager);
        CddpmSampler b = new CddpmSampler(copy, manager)) {
      assertThat(b.sample(1, 5, 9L)).isDeepEqualTo(a.sample(1, 5, 9L));
    }
  }

  @Test
  void readsFormatVersionOneAsTheMlpArchitecture() throws IOException {
    CddpmModel model =
        train(CddpmConfig.builder().hiddenWidth(4).hiddenLayers(1).steps(5).epochs(1).build());
    byte[] v3 = model.toBytes();
    int afterSeed = 8 + 8 * 4 + 6 * 8 + 2 + "linear".length() + 8;
    int afterFraction = afterSeed + 2 + "mlp".length() + 8;
    ByteArrayOutputStream v1 = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(v1)) {
      out.writeInt(CddpmModel.MAGIC);
      out.writeInt(1);
      out.write(v3, 8, afterSeed - 8);
      out.write(v3, afterFraction, v3.length - afterFraction);
    }

    CddpmModel read = CddpmModel.fromBytes(v1.toByteArray());

    assertThat(read).isEqualTo(model);
    assertThat(read.config().architecture()).isEqualTo("mlp");
  }

  @Test
  void readsFormatVersionTwoWithoutAValidationSplit() throws IOException {
    CddpmModel model =
        train(
            CddpmConfig.preset("resmlp").hiddenWidth(4).hiddenLayers(1).steps(5).epochs(1).build());
    byte[] v3 = model.toBytes();
    int afterArchitecture = 8 + 8 * 4 + 6 * 8 + 2 + "linear".length() + 8 + 2 + "resmlp".length();
    ByteArrayOutputStream v2 = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(v2)) {
      out.writeInt(CddpmModel.MAGIC);
      out.writeInt(2);
      out.write(v3, 8, afterArchitecture - 8);
      out.write(v3, afterArchitecture + 8, v3.length - afterArchitecture - 8);
    }

    CddpmModel read = CddpmModel.fromBytes(v2.toByteArray());

    assertThat(read).isEqualTo(model);
    assertThat(read.config().validationFraction()).isZero();
  }
}
