package org.mcrage.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strided DDIM steps, and their agreement with ancestral DDPM at every step. */
class SamplingPlanTest {

  @Test
  void stridedStepsSpanTheScheduleEvenlyAndEndAtTheLastStep() {
    assertThat(CddpmSampler.stridedSteps(35, 0)).hasSize(35).startsWith(0, 1).endsWith(34);
    assertThat(CddpmSampler.stridedSteps(35, 50)).hasSize(35);
    assertThat(CddpmSampler.stridedSteps(35, 5)).containsExactly(0, 9, 17, 26, 34);
    assertThat(CddpmSampler.stridedSteps(35, 1)).containsExactly(34);
  }

  @Test
  void everyStepWithEtaOneIsTheDdpmPosterior() {
    NoiseSchedule schedule = NoiseSchedule.linear(20, 1e-4, 0.2);
    List<CddpmSampler.Step> plan = CddpmSampler.plan(schedule, CddpmSampler.Options.FULL);

    assertThat(plan).hasSize(20);
    for (int i = 0; i < plan.size(); i++) {
      int t = 19 - i;
      CddpmSampler.Step step = plan.get(i);
      assertThat(step.t()).isEqualTo(t);
      double alpha = schedule.alpha(t);
      assertThat(step.a()).isCloseTo(1 / Math.sqrt(alpha), within(1e-9));
      assertThat(step.b())
          .isCloseTo(
              -schedule.beta(t) / Math.sqrt(1 - schedule.alphaBar(t)) / Math.sqrt(alpha),
              within(1e-9));
      double variance = t == 0 ? 0 : schedule.posteriorVariance(t);
      assertThat(step.sigma()).isCloseTo(Math.sqrt(variance), within(1e-9));
    }
  }

  @Test
  void betaVarianceKeepsEachStepsMeanAndDrawsBetaNoise() {
    NoiseSchedule schedule = NoiseSchedule.linear(20, 1e-4, 0.2);
    List<CddpmSampler.Step> posterior = CddpmSampler.plan(schedule, CddpmSampler.Options.FULL);
    List<CddpmSampler.Step> beta =
        CddpmSampler.plan(schedule, new CddpmSampler.Options(0, 1.0, true));

    for (int i = 0; i < beta.size(); i++) {
      int t = 19 - i;
      assertThat(beta.get(i).a()).isEqualTo(posterior.get(i).a());
      assertThat(beta.get(i).b()).isEqualTo(posterior.get(i).b());
      double expected = t == 0 ? 0 : Math.sqrt(schedule.beta(t));
      assertThat(beta.get(i).sigma()).isCloseTo(expected, within(1e-9));
      assertThat(beta.get(i).sigma()).isGreaterThanOrEqualTo(posterior.get(i).sigma());
    }
  }

  @Test
  void deterministicStridedStepsAddNoNoise() {
    NoiseSchedule schedule = NoiseSchedule.linear(40, 1e-4, 0.2);
    List<CddpmSampler.Step> plan = CddpmSampler.plan(schedule, new CddpmSampler.Options(8, 0.0));

    assertThat(plan).hasSize(8);
    for (CddpmSampler.Step step : plan) {
      assertThat(step.sigma()).isZero();
    }
  }

  @Test
  void stridedSamplerTakesFewerStepsAndIsSeeded() {
    CddpmConfig config =
        CddpmConfig.builder().hiddenWidth(8).hiddenLayers(1).steps(30).epochs(1).build();
    float[][] rows = {{0f, 1f}, {1f, 0f}, {0.5f, 0.5f}, {1f, 1f}};
    CddpmModel model;
    try (NDManager manager = NDManager.newBaseManager()) {
      model =
          CddpmTrainer.train(
              manager, rows, new int[] {0, 0, 1, 1}, 2, config, TrainingProgress.NONE);
    }
    try (NDManager manager = NDManager.newBaseManager();
        CddpmSampler full = new CddpmSampler(model, manager);
        CddpmSampler strided = new CddpmSampler(model, manager, new CddpmSampler.Options(6, 1.0))) {
      assertThat(full.stepsPerRow()).isEqualTo(30);
      assertThat(strided.stepsPerRow()).isEqualTo(6);
      assertThat(strided.sample(0, 10, 4L)).isDeepEqualTo(strided.sample(0, 10, 4L));
      assertThat(strided.sample(0, 10, 4L)).isNotEqualTo(full.sample(0, 10, 4L));
    }
  }

  @Test
  void rejectsNegativeStepsAndEtaOutsideTheUnitInterval() {
    assertThatThrownBy(() -> new CddpmSampler.Options(-1, 1.0))
        .hasMessageContaining("sampling.steps");
    assertThatThrownBy(() -> new CddpmSampler.Options(5, 1.5)).hasMessageContaining("sampling.eta");
  }
}
