/**
 * Settings of a run: each declared once with key, default, validation and help ({@code Settings}),
 * resolved from the command line, a HOCON file and the defaults in a stated order ({@code
 * ConfigResolver}), and read through an immutable, validated {@code JobConfig}. User mistakes
 * become a {@code McrageException} that names the setting, the value and the fix.
 */
package org.mcrage.config;
