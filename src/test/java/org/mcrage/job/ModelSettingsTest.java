package org.mcrage.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcrage.config.JobConfig;
import org.mcrage.diffusion.Conditioning;
import org.mcrage.groups.GroupIndex;

class ModelSettingsTest {

  private static final GroupIndex LABEL_BY_SEX =
      new GroupIndex(List.of("SOURCE", "SEX"), List.of(List.of("in", "out"), List.of("F", "M")));

  @Test
  void factoredConditioningHasAColumnPerGroupPerLevelAndTheNullSlot() {
    JobConfig config = JobConfig.of(Map.of("model.conditioning", "factored"));

    Conditioning conditioning = ModelSettings.conditioning(config, LABEL_BY_SEX);

    assertThat(conditioning.kind()).isEqualTo("factored");
    assertThat(conditioning.numGroups()).isEqualTo(4);
    assertThat(conditioning.columns()).as("4 groups + 2 labels + 2 sexes + null").isEqualTo(9);
  }

  @Test
  void defaultConditioningIsAdditiveOverTheLevels() {
    Conditioning conditioning = ModelSettings.conditioning(JobConfig.of(Map.of()), LABEL_BY_SEX);

    assertThat(conditioning.kind()).isEqualTo("additive");
    assertThat(conditioning.columns()).as("2 labels + 2 sexes + null").isEqualTo(5);
  }

  @Test
  void paperArchitectureConditionsOnTheGroupUnlessToldOtherwise() {
    JobConfig paper = JobConfig.of(Map.of("model.architecture", "paper"));
    JobConfig paperFactored =
        JobConfig.of(Map.of("model.architecture", "paper", "model.conditioning", "factored"));
    JobConfig group = JobConfig.of(Map.of("model.conditioning", "group"));

    assertThat(ModelSettings.conditioning(paper, LABEL_BY_SEX).kind()).isEqualTo("group");
    assertThat(ModelSettings.conditioning(paperFactored, LABEL_BY_SEX).kind())
        .isEqualTo("factored");
    assertThat(ModelSettings.conditioning(group, LABEL_BY_SEX).kind()).isEqualTo("group");
  }

  @Test
  void validationFractionReachesTheModelConfig() {
    JobConfig config = JobConfig.of(Map.of("model.validation-fraction", "0.15"));

    assertThat(ModelSettings.cddpm(config, 1000).validationFraction()).isEqualTo(0.15);
    assertThat(ModelSettings.cddpm(JobConfig.of(Map.of()), 1000).validationFraction()).isZero();
  }
}
