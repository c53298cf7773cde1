/**
 * Generation of synthetic rows inside Spark executors: deficits are split into seeded tasks, the
 * trained model travels as broadcast bytes and is loaded once per executor, and rows that copy a
 * real patient are rejected and replaced.
 */
package org.mcrage.sampling;
