package org.mcrage.evaluation;

import java.util.List;

/**
 * Real and synthetic values of each feature in one group, for the density figures.
 *
 * @param group the group's description, e.g. {@code SOURCE=in, SEX=F}
 * @param features the feature names
 * @param real real values per feature (the group's rows of the full training split)
 * @param synthetic MCRAGE's generated values per feature
 */
public record DensitySample(
    String group, List<String> features, double[][] real, double[][] synthetic) {}
