package org.mcrage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {
  @TempDir Path folder;

  @Test
  void commandLineWinsOverFileWhichWinsOverCommandDefaultsAndDefaults() throws IOException {
    Path file = folder.resolve("run.conf");
    Files.writeString(
        file,
        "mcrage {\n  label = SOURCE\n  demographics = [SEX, RACE]\n"
            + "  model { epochs = 50, batch-size = 64 }\n}\n");

    JobConfig config =
        ConfigResolver.resolve(
            Map.of("model.epochs", "10", "model.hidden-width", "64"),
            Map.of("model.epochs", "7"),
            Optional.of(file));

    assertThat(config.get(Settings.EPOCHS)).isEqualTo(7);
    assertThat(config.get(Settings.BATCH_SIZE)).isEqualTo(64);
    assertThat(config.get(Settings.HIDDEN_WIDTH)).isEqualTo(64);
    assertThat(config.get(Settings.LEARNING_RATE)).isEqualTo(0.001);
    assertThat(config.get(Settings.DEMOGRAPHICS)).containsExactly("SEX", "RACE");
    assertThat(config.get(Settings.LABEL)).isEqualTo("SOURCE");
  }

  @Test
  void shippedPatientTreatmentConfigResolves() {
    JobConfig config =
        ConfigResolver.resolve(Map.of(), Optional.of(Path.of("conf/patient-treatment.conf")));

    assertThat(config.get(Settings.LABEL)).isEqualTo("SOURCE");
    assertThat(config.get(Settings.DEMOGRAPHICS)).isEqualTo(List.of("SEX"));
    assertThat(config.get(Settings.FEATURES)).hasSize(9).contains("AGE", "MCV");
  }

  @Test
  void unknownKeyNamesTheClosestKnownKey() throws IOException {
    Path file = folder.resolve("typo.conf");
    Files.writeString(file, "mcrage.model.epochz = 5\n");

    assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(), Optional.of(file)))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("Unknown setting 'model.epochz'")
        .hasMessageContaining("Did you mean 'model.epochs'");
  }

  @Test
  void generatorFidelitySettingsRefuseValuesOutsideTheirChoices() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("model.conditioning", "label")))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("'model.conditioning'")
        .hasMessageContaining("'label'")
        .hasMessageContaining("factored");
    assertThatThrownBy(() -> JobConfig.of(Map.of("model.validation-fraction", "0.7")))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("'model.validation-fraction'")
        .hasMessageContaining("[0.0, 0.5]");

    JobConfig config =
        JobConfig.of(Map.of("model.conditioning", "factored", "model.validation-fraction", "0.1"));

    assertThat(config.get(Settings.CONDITIONING)).isEqualTo("factored");
    assertThat(config.get(Settings.VALIDATION_FRACTION)).isEqualTo(0.1);
  }

  @Test
  void invalidValueNamesTheKeyTheValueAndTheLegalRange() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("model.epochs", "0")))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("'model.epochs'")
        .hasMessageContaining("'0'")
        .hasMessageContaining("an integer >= 1");
    assertThatThrownBy(() -> JobConfig.of(Map.of("model.guidance-weight", "25")))
        .hasMessageContaining("model.guidance-weight")
        .hasMessageContaining("[0.0, 20.0]");
    assertThatThrownBy(() -> JobConfig.of(Map.of("seed", "seven")))
        .hasMessageContaining("'seed'")
        .hasMessageContaining("is not an integer");
  }

  @Test
  void missingRequiredSettingSaysHowToGiveIt() {
    JobConfig config = JobConfig.of(Map.of());

    assertThatThrownBy(() -> config.require(Settings.LABEL))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("Missing setting 'label'")
        .hasMessageContaining("--set label=");
  }

  @Test
  void malformedFileIsReportedWithItsPath() throws IOException {
    Path file = folder.resolve("broken.conf");
    Files.writeString(file, "mcrage { label = \n");

    assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(), Optional.of(file)))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("Cannot parse config file")
        .hasMessageContaining("broken.conf");
  }
}
