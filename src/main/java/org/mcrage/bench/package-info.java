/**
 * Benchmarks behind {@code mcrage bench}: each prints one JSON line per measurement (workload,
 * size, median of timed repetitions after warm-up, unit). Speed is compared as ratios within one
 * run on one machine, never asserted in tests.
 */
package org.mcrage.bench;
