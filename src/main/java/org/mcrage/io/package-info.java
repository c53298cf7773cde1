/**
 * Reading input tables (CSV, Parquet, Delta, metastore tables) with their version, writing the
 * rebalanced Delta table in one atomic commit, and keeping each run's manifest and model beside it.
 */
package org.mcrage.io;
