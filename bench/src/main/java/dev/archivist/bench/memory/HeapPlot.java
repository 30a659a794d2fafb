package dev.archivist.bench.memory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws heap after GC against backlog, every mode on one plot, with Java2D: points per sample, the
 * least-squares line of each mode over its samples, a cross where a mode ran out of memory, and
 * the heap limit as a dashed line.
 */
final class HeapPlot {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 640;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 60;
  private static final int BOTTOM = 70;
  private static final Color[] COLORS = {
      new Color(0xD6, 0x27, 0x28), new Color(0xFF, 0x7F, 0x0E), new Color(0x1F, 0x77, 0xB4)};

  private HeapPlot() {}

  static BufferedImage render(List<ModeResult> results, long heapLimitBytes, String title) {
    double maxX = 1;
    double maxY = heapLimitBytes / 1048576.0;
    for (ModeResult r : results) {
      for (Sample s : r.samples()) {
        maxX = Math.max(maxX, s.backlog());
        maxY = Math.max(maxY, s.heapAfterGc() / 1048576.0);
      }
    }
    double xStep = niceStep(maxX / 8);
    double yStep = niceStep(maxY / 8);
    double xMax = Math.ceil(maxX / xStep) * xStep;
    double yMax = Math.ceil(maxY * 1.05 / yStep) * yStep;

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    Axis x = v -> LEFT + v / xMax * plotW;
    Axis y = v -> TOP + plotH - v / yMax * plotH;

    // Grid and ticks.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (double v = 0; v <= xMax + 1e-9; v += xStep) {
      g.setColor(new Color(0xE8, 0xE8, 0xE8));
      g.draw(new Line2D.Double(x.at(v), TOP, x.at(v), TOP + plotH));
      g.setColor(Color.DARK_GRAY);
      String label = format(v);
      g.drawString(label, (float) (x.at(v) - fm.stringWidth(label) / 2.0), TOP + plotH + 18);
    }
    for (double v = 0; v <= yMax + 1e-9; v += yStep) {
      g.setColor(new Color(0xE8, 0xE8, 0xE8));
      g.draw(new Line2D.Double(LEFT, y.at(v), LEFT + plotW, y.at(v)));
      g.setColor(Color.DARK_GRAY);
      String label = format(v);
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), (float) (y.at(v) + 4));
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);

    // Heap limit.
    double limit = heapLimitBytes / 1048576.0;
    Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
        new float[] {8, 6}, 0);
    g.setStroke(dashed);
    g.setColor(Color.GRAY);
    g.draw(new Line2D.Double(LEFT, y.at(limit), LEFT + plotW, y.at(limit)));
    g.drawString("-Xmx " + format(limit) + " MiB", LEFT + 8, (float) (y.at(limit) - 6));

    // Series.
    for (int i = 0; i < results.size(); i++) {
      ModeResult r = results.get(i);
      Color c = COLORS[r.mode().ordinal() % COLORS.length];
      g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
      for (Sample s : r.samples()) {
        double px = x.at(s.backlog());
        double py = y.at(s.heapAfterGc() / 1048576.0);
        g.fill(new Ellipse2D.Double(px - 2.5, py - 2.5, 5, 5));
      }
      LeastSquares fit = r.fit();
      if (!Double.isNaN(fit.slope()) && r.maxBacklog() > 0) {
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        double x1 = r.maxBacklog();
        g.draw(new Line2D.Double(x.at(0), y.at(fit.intercept() / 1048576.0), x.at(x1),
            y.at((fit.intercept() + fit.slope() * x1) / 1048576.0)));
      }
      if (r.oom() && !r.samples().isEmpty()) {
        Sample last = r.samples().get(r.samples().size() - 1);
        double px = x.at(last.backlog());
        double py = y.at(last.heapAfterGc() / 1048576.0);
        g.setColor(c);
        g.setStroke(new BasicStroke(3f));
        g.draw(new Line2D.Double(px - 8, py - 8, px + 8, py + 8));
        g.draw(new Line2D.Double(px - 8, py + 8, px + 8, py - 8));
      }
    }

    // Labels and title.
    g.setStroke(new BasicStroke(1f));
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    String xLabel = "backlog (workflows completed, not yet archived)";
    g.drawString(xLabel, LEFT + (plotW - g.getFontMetrics().stringWidth(xLabel)) / 2f,
        HEIGHT - 22);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    String yLabel = "heap after full GC (MiB)";
    rotated.drawString(yLabel, -(TOP + (plotH + g.getFontMetrics().stringWidth(yLabel)) / 2f),
        24);
    rotated.dispose();

    // Legend.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int ly = TOP + 20;
    int lx = LEFT + plotW - 330;
    g.setColor(new Color(255, 255, 255, 230));
    g.fillRect(lx - 10, ly - 16, 330, results.size() * 22 + 10);
    g.setColor(Color.GRAY);
    g.drawRect(lx - 10, ly - 16, 330, results.size() * 22 + 10);
    for (ModeResult r : results) {
      Color c = COLORS[r.mode().ordinal() % COLORS.length];
      g.setColor(c);
      g.fill(new Ellipse2D.Double(lx, ly - 9, 10, 10));
      g.setColor(Color.BLACK);
      String slope = Double.isNaN(r.fit().slope()) ? "n/a"
          : MemoryReport.bytes(r.fit().slope()) + "/workflow";
      g.drawString(r.mode().label() + ": " + slope + (r.oom() ? ", OOM (x)" : ""), lx + 18, ly);
      ly += 22;
    }
    g.dispose();
    return image;
  }

  static void write(BufferedImage image, Path file) throws IOException {
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer in this JVM");
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  @FunctionalInterface
  private interface Axis {
    double at(double value);
  }
}
