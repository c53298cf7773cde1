/**
 * How close synthetic rows come to the real ones, and how far they stay from any one patient:
 * per-feature distribution distances (KS, Wasserstein-1, mean and spread) in units of the real
 * standard deviation, the largest correlation difference, a classifier two-sample test, and the
 * distance to the closest real record (DCR), per group and overall.
 */
package org.mcrage.fidelity;
