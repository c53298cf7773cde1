/**
 * Feature encoding between the table's units and the diffusion model's: standardisation fitted on
 * the input with one aggregation, and decoding of generated values back to the original units,
 * range and column types.
 */
package org.mcrage.encoding;
