package dev.archivist.bench.argo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes {@code argo-memory.json} (parameters, every sample, and per process the peak and final
 * resident memory) and {@code argo-memory.png} (resident memory against the backlog, one line per
 * process), and prints a markdown table.
 */
final class ArgoMemoryReport {
  private static final Color[] COLORS = {new Color(0xD9, 0x4F, 0x00), new Color(0x1F, 0x6F, 0xB4)};

  private ArgoMemoryReport() {}

  static void write(ArgoMemoryOptions o, List<ArgoMemoryBench.Run> runs) throws IOException {
    Files.createDirectories(o.out());
    ObjectNode root = ArgoMemoryBench.JSON.createObjectNode();
    ObjectNode params = root.putObject("parameters");
    params.put("workflows", o.workflows());
    params.put("workflowBytes", o.sizeBytes());
    params.put("dbDelayMsOneWay", o.delayMs());
    params.put("archivistHeap", o.archivistHeap());
    ArrayNode rs = root.putArray("runs");
    StringBuilder table = new StringBuilder();
    table.append("| process | drained | seconds to drain | peak RSS MiB | RSS at end MiB |"
        + " peak heap MiB | heap |\n|---|---|---|---|---|---|---|\n");
    for (ArgoMemoryBench.Run run : runs) {
      ObjectNode r = rs.addObject();
      r.put("process", run.name());
      r.put("heapKind", run.heapKind());
      r.put("drained", run.drained());
      r.put("secondsToDrain", run.secondsToDrain());
      long peakRss = run.samples().stream().mapToLong(ArgoMemoryBench.Sample::rssBytes).max()
          .orElse(-1);
      long endRss = run.samples().isEmpty() ? -1
          : run.samples().get(run.samples().size() - 1).rssBytes();
      long peakHeap = run.samples().stream().mapToLong(ArgoMemoryBench.Sample::heapBytes).max()
          .orElse(-1);
      r.put("peakRssBytes", peakRss);
      r.put("endRssBytes", endRss);
      r.put("peakHeapBytes", peakHeap);
      ArrayNode samples = r.putArray("samples");
      for (ArgoMemoryBench.Sample s : run.samples()) {
        samples.addObject().put("seconds", Math.round(s.seconds() * 10) / 10.0)
            .put("backlog", s.backlog()).put("rssBytes", s.rssBytes())
            .put("heapBytes", s.heapBytes());
      }
      table.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %s | %s |%n",
          run.name(), run.drained() ? "yes" : "no (timed out)", run.secondsToDrain(),
          peakRss / 1048576.0, endRss / 1048576.0,
          peakHeap < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", peakHeap / 1048576.0),
          run.heapKind()));
    }
    Path json = o.out().resolve("argo-memory.json");
    Files.writeString(json, ArgoMemoryBench.JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(root));
    Path png = o.out().resolve("argo-memory.png");
    ImageIO.write(plot(o, runs), "png", png.toFile());
    System.out.println(table);
    System.out.println("wrote " + json + " and " + png);
  }

  /** Resident memory (MiB, y) against the backlog (x, falling to the right). */
  static BufferedImage plot(ArgoMemoryOptions o, List<ArgoMemoryBench.Run> runs) {
    int w = 1000;
    int h = 620;
    int left = 90;
    int right = 30;
    int top = 60;
    int bottom = 70;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double maxMiB = 64;
    for (ArgoMemoryBench.Run run : runs) {
      for (ArgoMemoryBench.Sample s : run.samples()) {
        maxMiB = Math.max(maxMiB, s.rssBytes() / 1048576.0);
      }
    }
    maxMiB = Math.ceil(maxMiB / 64) * 64;
    double maxBacklog = o.workflows();
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(String.format(Locale.ROOT, "Resident memory vs archive backlog: %d completed"
        + " workflows of %d KiB, database %.1f ms away", o.workflows(), o.sizeBytes() / 1024,
        o.delayMs()), left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(new Color(0xDD, 0xDD, 0xDD));
    for (int i = 0; i <= 4; i++) {
      int y = top + ph - ph * i / 4;
      g.drawLine(left, y, left + pw, y);
      int x = left + pw * i / 4;
      g.drawLine(x, top, x, top + ph);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    for (int i = 0; i <= 4; i++) {
      int y = top + ph - ph * i / 4;
      g.drawString(String.format(Locale.ROOT, "%.0f MiB", maxMiB * i / 4), 15, y + 4);
      int x = left + pw * i / 4;
      g.drawString(String.format(Locale.ROOT, "%.0f", maxBacklog * (4 - i) / 4), x - 15,
          top + ph + 20);
    }
    g.drawString("backlog (workflows not yet archived), falling over time", left + pw / 2 - 150,
        h - 25);
    int legendY = top + 20;
    for (int r = 0; r < runs.size(); r++) {
      ArgoMemoryBench.Run run = runs.get(r);
      g.setColor(COLORS[r % COLORS.length]);
      g.setStroke(new BasicStroke(2f));
      int px = -1;
      int py = -1;
      for (ArgoMemoryBench.Sample s : run.samples()) {
        if (s.rssBytes() < 0) {
          continue;
        }
        int x = left + (int) (pw * (1 - s.backlog() / maxBacklog));
        int y = top + ph - (int) (ph * (s.rssBytes() / 1048576.0) / maxMiB);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.fillRect(left + pw - 230, legendY - 9, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(run.name() + " (resident memory)", left + pw - 210, legendY);
      legendY += 18;
    }
    g.dispose();
    return img;
  }
}
