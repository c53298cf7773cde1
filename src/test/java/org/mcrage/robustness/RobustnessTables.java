package org.mcrage.robustness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Small seeded CSV tables for the robustness tests: a label SOURCE (in/out), a demographic SEX
 * (F/M), numeric features AGE and HAEMA, and a carried text column NOTE.
 */
final class RobustnessTables {
  static final String HEADER = "SOURCE,SEX,AGE,HAEMA,NOTE";

  private RobustnessTables() {}

  /** Returns rows of four groups with the given sizes: in/F, in/M, out/F, out/M. */
  static List<String> rows(long seed, int inF, int inM, int outF, int outM) {
    Random random = new Random(seed);
    List<String> rows = new ArrayList<>();
    int[] sizes = {inF, inM, outF, outM};
    String[][] groups = {{"in", "F"}, {"in", "M"}, {"out", "F"}, {"out", "M"}};
    for (int g = 0; g < sizes.length; g++) {
      for (int i = 0; i < sizes[g]; i++) {
        double haema = 30 + 10 * random.nextGaussian() + (g == 0 ? 5 : 0);
        rows.add(
            String.join(
                ",",
                groups[g][0],
                groups[g][1],
                Integer.toString(20 + random.nextInt(60)),
                String.format(Locale.ROOT, "%.3f", haema),
                "note" + (i % 3)));
      }
    }
    return rows;
  }

  /** Returns the default rows: 60, 30, 20 and 12 patients. */
  static List<String> rows() {
    return rows(1, 60, 30, 20, 12);
  }

  /** Writes a CSV with the default header. */
  static Path write(Path folder, String name, List<String> rows) {
    return writeWithHeader(folder, name, HEADER, rows);
  }

  /** Writes a CSV with the given header. */
  static Path writeWithHeader(Path folder, String name, String header, List<String> rows) {
    List<String> lines = new ArrayList<>();
    lines.add(header);
    lines.addAll(rows);
    try {
      return Files.write(folder.resolve(name), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
