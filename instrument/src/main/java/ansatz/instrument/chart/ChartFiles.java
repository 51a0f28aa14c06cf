package ansatz.instrument.chart;

import ansatz.autograd.io.AtomicFiles;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes charts as PNG and SVG, each file atomically ({@link AtomicFiles}), with AWT in headless
 * mode. XChart charts go through XChart's encoders (SVG by the VectorGraphics2D library that XChart
 * depends on); custom drawings ({@link Painter}, e.g. heatmaps) are painted once on a bitmap and once
 * on a vector canvas.
 */
public final class ChartFiles {
  static {
    // Before any AWT class initializes: no display on servers and CI.
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  private ChartFiles() {}

  /** The two files written for one chart. */
  public record Written(Path png, Path svg) {}

  /** Draws a picture of the given size with java.awt. */
  @FunctionalInterface
  public interface Painter {
    /** Paints on {@code g}, which covers (0, 0) to (width, height). */
    void paint(Graphics2D g, int width, int height);
  }

  /** Makes sure headless mode is set; every chart class calls it before touching AWT. */
  static void init() {
    // the static initializer did the work
  }

  /** Writes {@code dir/name.png} and {@code dir/name.svg} (creating {@code dir}). */
  public static Written save(Chart<?, ?> chart, Path dir, String name) {
    Path png = dir.resolve(name + ".png"), svg = dir.resolve(name + ".svg");
    savePng(chart, png);
    saveSvg(chart, svg);
    return new Written(png, svg);
  }

  /** Writes {@code dir/name.png} and {@code dir/name.svg} of a custom drawing. */
  public static Written save(Painter painter, int width, int height, Path dir, String name) {
    Path png = dir.resolve(name + ".png"), svg = dir.resolve(name + ".svg");
    savePng(painter, width, height, png);
    saveSvg(painter, width, height, svg);
    return new Written(png, svg);
  }

  /** Writes the chart as a PNG file. */
  public static void savePng(Chart<?, ?> chart, Path file) {
    write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  /** Writes the chart as an SVG file. */
  public static void saveSvg(Chart<?, ?> chart, Path file) {
    write(file, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
  }

  /** Paints on a white ARGB bitmap and writes it as PNG. */
  public static void savePng(Painter painter, int width, int height, Path file) {
    checkSize(width, height);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, width, height);
      painter.paint(g, width, height);
    } finally {
      g.dispose();
    }
    write(file, out -> {
      if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
    });
  }

  /** Paints on a vector canvas and writes it as SVG. */
  public static void saveSvg(Painter painter, int width, int height, Path file) {
    checkSize(width, height);
    VectorGraphics2D g = new VectorGraphics2D();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, width, height);
    painter.paint(g, width, height);
    g.dispose();
    write(file, out -> new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(out));
  }

  private static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) throw new IllegalArgumentException("chart size must be positive, got " + width + " x " + height);
  }

  private static void write(Path file, AtomicFiles.Content content) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      AtomicFiles.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write chart " + file + ": " + e.getMessage(), e);
    }
  }
}
