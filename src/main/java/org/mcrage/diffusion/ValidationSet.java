package org.mcrage.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rows held out of training to choose the epoch whose weights generalise best: the denoising loss
 * on them, with step and noise drawn once so that every epoch is scored on the same draws.
 *
 * <p>Each group gives {@code round(fraction * rows)} of its rows (none from a group that would keep
 * fewer than two), and the loss is the mean over groups of each group's mean, so the small groups
 * the model is trained for weigh as much as the large ones.
 */
final class ValidationSet {

  /** Step and noise draws per held-out row, to steady the loss of groups with few rows. */
  static final int DRAWS_PER_ROW = 16;

  private final int rows;
  private final int width;
  private final float[] noisy;
  private final float[] noise;
  private final float[] stepFeatures;
  private final float[] conditions;
  private final float[] weights;
  private final int timeColumns;
  private final int conditionColumns;

  private ValidationSet(
      int rows,
      int width,
      int timeColumns,
      int conditionColumns,
      float[] noisy,
      float[] noise,
      float[] stepFeatures,
      float[] conditions,
      float[] weights) {
    this.rows = rows;
    this.width = width;
    this.timeColumns = timeColumns;
    this.conditionColumns = conditionColumns;
    this.noisy = noisy;
    this.noise = noise;
    this.stepFeatures = stepFeatures;
    this.conditions = conditions;
    this.weights = weights;
  }

  /**
   * Training rows and the rows held out of them.
   *
   * @param features the rows trained on
   * @param groups their groups
   * @param heldOut indices (into the input) of the held-out rows, empty when none
   */
  record Split(float[][] features, int[] groups, int[] heldOut) {}

  /**
   * Splits the rows, a seeded choice per group; with fraction 0 the input arrays are returned.
   *
   * @param features all rows
   * @param groups each row's group
   * @param numGroups the number of groups
   * @param fraction share of each group's rows held out
   * @param random the generator of the choice
   */
  static Split split(
      float[][] features, int[] groups, int numGroups, double fraction, SplittableRandom random) {
    if (fraction <= 0.0) {
      return new Split(features, groups, new int[0]);
    }
    boolean[] held = new boolean[features.length];
    for (List<Integer> members : membersByGroup(groups, numGroups)) {
      int count = (int) Math.round(fraction * members.size());
      if (members.size() - count < 2) {
        continue;
      }
      for (int i = members.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        members.set(i, members.set(j, members.get(i)));
      }
      members.subList(0, count).forEach(row -> held[row] = true);
    }
    List<Integer> kept = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < features.length; i++) {
      (held[i] ? out : kept).add(i);
    }
    float[][] keptFeatures = kept.stream().map(i -> features[i]).toArray(float[][]::new);
    int[] keptGroups = kept.stream().mapToInt(i -> groups[i]).toArray();
    return new Split(keptFeatures, keptGroups, out.stream().mapToInt(i -> i).toArray());
  }

  private static List<List<Integer>> membersByGroup(int[] groups, int numGroups) {
    List<List<Integer>> members = new ArrayList<>();
    for (int g = 0; g < numGroups; g++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < groups.length; i++) {
      members.get(groups[i]).add(i);
    }
    return members;
  }

  /**
   * Draws the noised held-out rows once.
   *
   * @param features all rows
   * @param groups each row's group
   * @param heldOut indices of the held-out rows, at least one
   * @param schedule the noise schedule
   * @param conditioning the groups' conditioning vectors
   * @param stepFeatures the sinusoidal features of each step
   * @param random the generator of steps and noise
   */
  static ValidationSet draw(
      float[][] features,
      int[] groups,
      int[] heldOut,
      NoiseSchedule schedule,
      Conditioning conditioning,
      float[][] stepFeatures,
      SplittableRandom random) {
    int width = features[0].length;
    int time = stepFeatures[0].length;
    int columns = conditioning.columns();
    int rows = heldOut.length * DRAWS_PER_ROW;
    float[] noisy = new float[rows * width];
    float[] noise = new float[rows * width];
    float[] steps = new float[rows * time];
    float[] conditions = new float[rows * columns];
    float[] weights = groupBalancedWeights(groups, heldOut, conditioning.numGroups());
    for (int r = 0; r < rows; r++) {
      int row = heldOut[r / DRAWS_PER_ROW];
      int t = random.nextInt(schedule.steps());
      double signal = Math.sqrt(schedule.alphaBar(t));
      double spread = Math.sqrt(1.0 - schedule.alphaBar(t));
      for (int k = 0; k < width; k++) {
        float epsilon = (float) random.nextGaussian();
        noise[r * width + k] = epsilon;
        noisy[r * width + k] = (float) (signal * features[row][k] + spread * epsilon);
      }
      System.arraycopy(stepFeatures[t], 0, steps, r * time, time);
      conditioning.copyRow(groups[row], conditions, r * columns);
    }
    return new ValidationSet(rows, width, time, columns, noisy, noise, steps, conditions, weights);
  }

  /** Weight of each draw: 1 / (groups held out x rows of its group x draws per row). */
  private static float[] groupBalancedWeights(int[] groups, int[] heldOut, int numGroups) {
    int[] counts = new int[numGroups];
    for (int row : heldOut) {
      counts[groups[row]]++;
    }
    long present = java.util.Arrays.stream(counts).filter(c -> c > 0).count();
    float[] weights = new float[heldOut.length * DRAWS_PER_ROW];
    for (int r = 0; r < weights.length; r++) {
      int group = groups[heldOut[r / DRAWS_PER_ROW]];
      weights[r] = (float) (1.0 / (present * counts[group] * DRAWS_PER_ROW));
    }
    return weights;
  }

  /** Returns the group-balanced mean squared error of the denoiser's noise prediction. */
  double loss(Denoiser denoiser, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(noisy, new Shape(rows, width));
      NDArray target = scope.create(noise, new Shape(rows, width));
      NDArray time = scope.create(stepFeatures, new Shape(rows, timeColumns));
      NDArray groupsIn = scope.create(conditions, new Shape(rows, conditionColumns));
      NDArray predicted =
          denoiser.predictNoise(x, denoiser.timeEmbedding(time), denoiser.groupEmbedding(groupsIn));
      NDArray perRow = predicted.sub(target).square().mean(new int[] {1});
      return perRow.mul(scope.create(weights)).sum().getFloat();
    }
  }
}
