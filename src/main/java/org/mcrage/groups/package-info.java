/**
 * The intersectional groups of MCRAGE: the mixed-radix index phi over the label and the demographic
 * attributes with its exact inverse ({@code GroupIndex}), computed as a Spark expression, and the
 * group counts, target and deficits ({@code GroupTable}).
 */
package org.mcrage.groups;
