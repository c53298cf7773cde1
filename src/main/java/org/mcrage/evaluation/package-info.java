/**
 * The evaluation protocol: per seed a stratified train/test split over the intersectional groups,
 * an imbalanced training split (the experiment's subsample), the training variants (as is, random
 * oversampling, SMOTE, MCRAGE, the balanced real control), a random forest on each, metrics overall
 * and per group with fairness summaries, statistics across seeds with paired intervals, and a
 * report in JSON, Markdown and PNG charts.
 */
package org.mcrage.evaluation;
