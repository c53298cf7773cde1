package org.mcrage.evaluation;

import java.util.Map;

/**
 * What one variant's model scored on one seed.
 *
 * @param overall metrics on all test rows
 * @param byGroup metrics of each demographic slice of the test rows
 * @param fairness worst-group accuracy and the gaps over the intersectional groups
 * @param validation metrics on the validation rows (held out of the imbalanced training rows)
 * @param trainingRows rows the model trained on (real and added)
 * @param addedRows rows added by the variant (copies or synthetic)
 * @param seconds time to build the variant and train and test its model
 */
public record VariantOutcome(
    Map<String, Double> overall,
    Map<String, Map<String, Double>> byGroup,
    Map<String, Double> fairness,
    Map<String, Double> validation,
    long trainingRows,
    long addedRows,
    double seconds) {}
