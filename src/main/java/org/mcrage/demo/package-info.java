/**
 * A seeded generator of realistic, imbalanced EHR-like tables, for the demo and for scale tests.
 */
package org.mcrage.demo;
