package org.mcrage.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the report's PNG figures with Java2D (headless): per-group metric bars with error bars (one
 * standard deviation over seeds), and per-feature real-versus-synthetic densities for each group
 * MCRAGE filled (the paper's Figure 3), from the first seed.
 */
final class Charts {
  private static final Color[] PALETTE = {
    new Color(0x4C72B0),
    new Color(0xDD8452),
    new Color(0x55A868),
    new Color(0xC44E52),
    new Color(0x8172B3),
    new Color(0x937860)
  };
  private static final List<String> BAR_METRICS =
      List.of(BinaryMetrics.ACCURACY, BinaryMetrics.F1, BinaryMetrics.AUROC);

  private Charts() {}

  /**
   * Writes every figure.
   *
   * @param report the report
   * @param folder the report folder
   * @return the file names written
   */
  static List<String> write(EvaluationReport report, Path folder) {
    System.setProperty("java.awt.headless", "true");
    List<String> files = new ArrayList<>();
    for (String metric : BAR_METRICS) {
      String name = "groups-" + metric + ".png";
      save(groupBars(report, metric), folder.resolve(name));
      files.add(name);
    }
    for (DensitySample sample : report.outcomes().get(0).densities()) {
      String name = "density-" + sample.group().replaceAll("[^A-Za-z0-9]+", "_") + ".png";
      save(densities(sample), folder.resolve(name));
      files.add(name);
    }
    return files;
  }

  private static BufferedImage groupBars(EvaluationReport report, String metric) {
    List<String> groups = new ArrayList<>();
    groups.add("overall");
    groups.addAll(report.groups());
    List<String> variants = report.variants();
    int width = Math.max(640, 120 + groups.size() * (variants.size() * 22 + 30));
    int height = 420;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    int left = 60;
    int top = 40;
    int bottom = height - 90;
    int plotWidth = width - left - 20;
    g.drawString(metric + " by group: mean ± std over seeds", left, 24);

    double low = 1.0;
    for (String group : groups) {
      for (String variant : variants) {
        low = Math.min(low, valueOf(report, variant, group, metric, "mean"));
      }
    }
    low = Double.isNaN(low) ? 0 : Math.max(0, Math.floor(low * 10 - 1) / 10);
    axis(g, left, top, bottom, plotWidth, low, 1.0);

    int slot = plotWidth / groups.size();
    int bar = Math.max(6, (slot - 20) / variants.size());
    for (int gi = 0; gi < groups.size(); gi++) {
      int x0 = left + gi * slot + 10;
      for (int vi = 0; vi < variants.size(); vi++) {
        double mean = valueOf(report, variants.get(vi), groups.get(gi), metric, "mean");
        double std = valueOf(report, variants.get(vi), groups.get(gi), metric, "std");
        if (Double.isNaN(mean)) {
          continue;
        }
        int x = x0 + vi * bar;
        int y = scale(mean, low, 1.0, top, bottom);
        g.setColor(PALETTE[vi % PALETTE.length]);
        g.fillRect(x, y, bar - 2, bottom - y);
        if (!Double.isNaN(std)) {
          g.setColor(Color.BLACK);
          int center = x + (bar - 2) / 2;
          int yHigh = scale(Math.min(1.0, mean + std), low, 1.0, top, bottom);
          int yLow = scale(Math.max(low, mean - std), low, 1.0, top, bottom);
          g.drawLine(center, yHigh, center, yLow);
          g.drawLine(center - 3, yHigh, center + 3, yHigh);
          g.drawLine(center - 3, yLow, center + 3, yLow);
        }
      }
      g.setColor(Color.BLACK);
      g.drawString(groups.get(gi), x0, bottom + 16);
    }
    legend(g, variants, left, bottom + 40);
    g.dispose();
    return image;
  }

  private static double valueOf(
      EvaluationReport report, String variant, String group, String metric, String part) {
    Object value =
        "overall".equals(group)
            ? report.at("variants", variant, part, metric)
            : report.at("variants", variant, "by_group", group, part, metric);
    return value instanceof Number number ? number.doubleValue() : Double.NaN;
  }

  private static BufferedImage densities(DensitySample sample) {
    int columns = 3;
    int rows = (sample.features().size() + columns - 1) / columns;
    int panelWidth = 300;
    int panelHeight = 200;
    BufferedImage image =
        new BufferedImage(
            columns * panelWidth, rows * panelHeight + 70, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    g.drawString(
        "Real (full training split) vs MCRAGE synthetic, " + sample.group() + " (first seed)",
        10,
        20);
    legend(g, List.of("real", "synthetic"), 10, 40);
    for (int f = 0; f < sample.features().size(); f++) {
      int x = (f % columns) * panelWidth;
      int y = 60 + (f / columns) * panelHeight;
      panel(
          g,
          sample.features().get(f),
          sample.real()[f],
          sample.synthetic()[f],
          x,
          y,
          panelWidth,
          panelHeight);
    }
    g.dispose();
    return image;
  }

  private static void panel(
      Graphics2D g, String title, double[] real, double[] synthetic, int x, int y, int w, int h) {
    double[] all = concat(finite(real), finite(synthetic));
    g.setColor(Color.BLACK);
    g.drawString(title, x + 10, y + 14);
    if (all.length < 2) {
      return;
    }
    Arrays.sort(all);
    double min = all[(int) (all.length * 0.005)];
    double max = all[(int) Math.ceil(all.length * 0.995) - 1];
    if (max <= min) {
      max = min + 1;
    }
    int left = x + 10;
    int top = y + 22;
    int bottom = y + h - 24;
    int width = w - 20;
    double[] grid = new double[100];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = min + (max - min) * i / (grid.length - 1);
    }
    double[] realDensity = Density.kde(finite(real), grid);
    double[] syntheticDensity = Density.kde(finite(synthetic), grid);
    double peak = Math.max(max(realDensity), max(syntheticDensity));
    g.setColor(Color.GRAY);
    g.drawLine(left, bottom, left + width, bottom);
    g.setFont(g.getFont().deriveFont(10f));
    g.drawString(String.format(Locale.ROOT, "%.4g", min), left, bottom + 12);
    String maxLabel = String.format(Locale.ROOT, "%.4g", max);
    g.drawString(maxLabel, left + width - g.getFontMetrics().stringWidth(maxLabel), bottom + 12);
    g.setFont(g.getFont().deriveFont(12f));
    curve(g, grid, realDensity, peak, left, top, bottom, width, PALETTE[0]);
    curve(g, grid, syntheticDensity, peak, left, top, bottom, width, PALETTE[1]);
  }

  private static void curve(
      Graphics2D g,
      double[] grid,
      double[] density,
      double peak,
      int left,
      int top,
      int bottom,
      int width,
      Color color) {
    if (density.length == 0 || peak <= 0) {
      return;
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    for (int i = 1; i < grid.length; i++) {
      int x1 = left + width * (i - 1) / (grid.length - 1);
      int x2 = left + width * i / (grid.length - 1);
      int y1 = scale(density[i - 1], 0, peak, top, bottom);
      int y2 = scale(density[i], 0, peak, top, bottom);
      g.drawLine(x1, y1, x2, y2);
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static Graphics2D canvas(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return g;
  }

  private static void axis(
      Graphics2D g, int left, int top, int bottom, int width, double low, double high) {
    g.setColor(Color.GRAY);
    for (int i = 0; i <= 5; i++) {
      double value = low + (high - low) * i / 5;
      int y = scale(value, low, high, top, bottom);
      g.drawLine(left - 4, y, left + width, y);
      g.drawString(String.format(Locale.ROOT, "%.2f", value), 8, y + 4);
    }
  }

  private static void legend(Graphics2D g, List<String> names, int x, int y) {
    int offset = 0;
    for (int i = 0; i < names.size(); i++) {
      g.setColor(PALETTE[i % PALETTE.length]);
      g.fillRect(x + offset, y - 10, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), x + offset + 16, y);
      offset += 30 + g.getFontMetrics().stringWidth(names.get(i));
    }
  }

  private static int scale(double value, double low, double high, int top, int bottom) {
    double share = (value - low) / (high - low);
    return (int) Math.round(bottom - share * (bottom - top));
  }

  private static double[] finite(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).toArray();
  }

  private static double[] concat(double[] a, double[] b) {
    double[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static void save(BufferedImage image, Path file) {
    try {
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the figure " + file, e);
    }
  }
}
