/**
 * The classic oversampling baselines MCRAGE is compared against, written for Spark: random
 * oversampling (copies of real rows) and SMOTE inside each intersectional group (interpolation
 * between a row and one of its nearest same-group neighbours). Both fill every group up to the
 * largest, like the rebalancer, and return rows with the same lineage columns ({@code
 * mcrage_synthetic = true} for every added row).
 */
package org.mcrage.baselines;
