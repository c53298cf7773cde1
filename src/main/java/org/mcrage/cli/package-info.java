/**
 * The `mcrage` command line: one picocli command per job, sharing the options that map onto
 * settings. It resolves the settings, gets the Spark session and prints what a person needs to see;
 * the work is done in {@code org.mcrage.job}.
 */
package org.mcrage.cli;
