package org.mcrage.fidelity;

/**
 * How a fidelity report is computed.
 *
 * @param maxRowsPerGroup rows of each group (real and synthetic each) collected to the driver at
 *     most; a seeded sample beyond; default 5,000
 * @param twoSampleTest the classifier two-sample test, or {@code null} to skip it
 * @param seed seed of the samples
 */
public record FidelityOptions(int maxRowsPerGroup, TwoSampleTest twoSampleTest, long seed) {

  /** Returns the defaults: 5,000 rows per group and the default two-sample test. */
  public static FidelityOptions defaults(long seed) {
    return new FidelityOptions(5_000, TwoSampleTest.defaults(seed), seed);
  }

  /** Returns these options without the (slower) classifier two-sample test. */
  public FidelityOptions withoutTwoSampleTest() {
    return new FidelityOptions(maxRowsPerGroup, null, seed);
  }
}
