/**
 * The jobs: {@code Rebalancer} is the method on a DataFrame with no I/O; {@code RebalanceJob} wraps
 * it with reading, writing and the run record; {@code ProfileJob} counts groups; {@code DemoJob}
 * runs it on generated data. Each job logs one INFO line per stage with counts and elapsed time,
 * and never a patient value.
 */
package org.mcrage.job;
