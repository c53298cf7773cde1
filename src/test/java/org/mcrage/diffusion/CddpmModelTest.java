package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CddpmModelTest {

  private static CddpmModel smallModel() {
    CddpmConfig config =
        CddpmConfig.builder().hiddenWidth(4).hiddenLayers(1).seed(7).schedule("cosine").build();
    List<CddpmModel.NamedArray> parameters =
        List.of(
            new CddpmModel.NamedArray("a.weight", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
            new CddpmModel.NamedArray("a.bias", new int[] {3}, new float[] {-1f, 0f, 1e-9f}));
    return new CddpmModel(
        config, NoiseSchedule.cosine(12), 3, 2, parameters, new double[] {0.9, 0.5});
  }

  @Test
  void bytesRoundTripGivesAnEqualModel() {
    CddpmModel model = smallModel();

    CddpmModel copy = CddpmModel.fromBytes(model.toBytes());

    assertThat(copy).isEqualTo(model);
    assertThat(copy.config().seed()).isEqualTo(7);
    assertThat(copy.schedule().kind()).isEqualTo("cosine");
    assertThat(copy.trainingLoss()).containsExactly(0.9, 0.5);
    assertThat(copy.parameter("a.bias").values()).containsExactly(-1f, 0f, 1e-9f);
  }

  @Test
  void bytesRoundTripKeepsTheValidationFraction() {
    CddpmModel model = smallModel();
    CddpmConfig validated = model.config().toBuilder().validationFraction(0.2).build();
    CddpmModel withSplit =
        new CddpmModel(validated, model.schedule(), 3, 2, model.parameters(), model.trainingLoss());

    CddpmModel copy = CddpmModel.fromBytes(withSplit.toBytes());

    assertThat(copy.config().validationFraction()).isEqualTo(0.2);
    assertThat(copy).isEqualTo(withSplit);
  }

  @Test
  void saveAndLoadRoundTrip(@TempDir Path folder) {
    CddpmModel model = smallModel();
    Path file = folder.resolve("model.cddpm");

    model.save(file);

    assertThat(CddpmModel.load(file)).isEqualTo(model);
  }

  @Test
  void wrongMagicFailsClearly() {
    byte[] bytes = smallModel().toBytes();
    bytes[0] = 'X';

    assertThatThrownBy(() -> CddpmModel.fromBytes(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic number")
        .hasMessageContaining("not a model written by CddpmModel.toBytes");
  }

  @Test
  void wrongVersionFailsClearly() {
    byte[] bytes = smallModel().toBytes();
    ByteBuffer.wrap(bytes).putInt(4, 99);

    assertThatThrownBy(() -> CddpmModel.fromBytes(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 99 is not supported")
        .hasMessageContaining("reads version 1");
  }

  @Test
  void truncatedBytesFailClearly() {
    byte[] bytes = smallModel().toBytes();

    assertThatThrownBy(() -> CddpmModel.fromBytes(Arrays.copyOf(bytes, bytes.length - 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void parametersMustFillTheirShape() {
    assertThatThrownBy(() -> new CddpmModel.NamedArray("w", new int[] {2, 2}, new float[3]))
        .hasMessageContaining("Parameter w has shape [2, 2] but 3 values");
  }
}
