package org.mcrage.io;

import java.util.List;

/** The three columns every output row carries beside the input's own columns. */
public final class LineageColumns {
  /** BOOLEAN: true for generated rows, false for real ones. */
  public static final String SYNTHETIC = "mcrage_synthetic";

  /** INT: the row's intersectional group phi (null where a group column is null). */
  public static final String GROUP = "mcrage_group";

  /** STRING: the run that wrote the row. */
  public static final String RUN_ID = "mcrage_run_id";

  /** All three, in table order. */
  public static final List<String> ALL = List.of(SYNTHETIC, GROUP, RUN_ID);

  private LineageColumns() {}
}
