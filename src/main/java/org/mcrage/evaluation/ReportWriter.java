package org.mcrage.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mcrage.config.McrageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an evaluation report to a folder: {@code report.json} (every figure; NaN written as null),
 * {@code report.md} (the tables a reviewer reads first) and PNG charts.
 */
public final class ReportWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

  private final Path folder;

  /**
   * Creates a writer.
   *
   * @param folder the report folder, created if missing
   */
  public ReportWriter(Path folder) {
    this.folder = folder;
  }

  /**
   * Writes the charts, then the JSON and Markdown that name them.
   *
   * @param report the report
   */
  public void write(EvaluationReport report) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new McrageException(
          "Cannot create the report folder '" + folder + "': " + e.getMessage(),
          "Give --report-dir a folder you can write to");
    }
    long started = System.nanoTime();
    List<String> figures = new ArrayList<>(Charts.write(report, folder));
    report.content().put("figures", figures);
    writeText("report.json", json(report.content()));
    writeText("report.md", MarkdownReport.render(report));
    LOG.info(
        "report: report.json, report.md and {} figures in {} ({} ms)",
        figures.size(),
        folder,
        (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Returns the report as indented JSON, with NaN and infinite numbers as null.
   *
   * @param content the report's content
   * @return the JSON text
   */
  public static String json(Map<String, Object> content) {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(clean(content));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write the report as JSON", e);
    }
  }

  private static Object clean(Object value) {
    if (value instanceof Double number) {
      return Double.isFinite(number) ? number : null;
    }
    if (value instanceof double[] numbers) {
      List<Object> list = new ArrayList<>();
      for (double number : numbers) {
        list.add(clean(number));
      }
      return list;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> cleaned = new LinkedHashMap<>();
      map.forEach((key, entry) -> cleaned.put(String.valueOf(key), clean(entry)));
      return cleaned;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ReportWriter::clean).toList();
    }
    return value;
  }

  private void writeText(String name, String text) {
    try {
      Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + folder.resolve(name), e);
    }
  }
}
