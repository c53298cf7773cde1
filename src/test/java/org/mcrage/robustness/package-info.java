/**
 * Tests that the job fails clearly on bad input, survives being killed, reruns idempotently, is
 * deterministic and keeps patient values and credentials out of its logs and records.
 */
package org.mcrage.robustness;
