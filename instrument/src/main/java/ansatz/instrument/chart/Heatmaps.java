package ansatz.instrument.chart;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Two matrices side by side as heatmaps, each with its own colour bar: typically the neural feature
 * matrix W^T W and AGOP^{1/2} of one layer, whose resemblance the NFA correlation measures.
 *
 * <p>Colours: a matrix with entries of both signs uses a diverging blue-white-red map symmetric
 * about 0 (so 0 is white); a matrix of one sign uses a sequential map from its minimum to its
 * maximum. Matrices larger than the panel are block-averaged down to at most one cell per pixel.
 * Drawn with java.awt (no XChart heatmap: it draws one shape per cell and has one colour scale).
 */
public final class Heatmaps {
  static {
    ChartFiles.init();
  }

  /** Panel geometry in pixels. */
  private static final int PANEL = 360, BAR = 16, MARGIN = 40, TITLE = 56, GAP = 110;

  private Heatmaps() {}

  /** {@return width of the picture {@link #pair} draws} */
  public static int width() {
    return 2 * PANEL + GAP + 2 * MARGIN + BAR + 70;
  }

  /** {@return height of the picture {@link #pair} draws} */
  public static int height() {
    return TITLE + 30 + PANEL + MARGIN;
  }

  /**
   * Writes {@code dir/name.png} and {@code dir/name.svg}.
   *
   * @param title overall title (say which layer and the correlation between the two)
   * @param left first matrix (2-D), e.g. the NFM
   * @param right second matrix (2-D), e.g. AGOP^{1/2}
   */
  public static ChartFiles.Written writePair(Path dir, String name, String title, Tensor left, String leftTitle, Tensor right, String rightTitle) {
    return ChartFiles.save(pair(title, left, leftTitle, right, rightTitle), width(), height(), dir, name);
  }

  /** {@return a painter of the two heatmaps, for {@link ChartFiles}} */
  public static ChartFiles.Painter pair(String title, Tensor left, String leftTitle, Tensor right, String rightTitle) {
    Cells a = Cells.of("left", left, PANEL), b = Cells.of("right", right, PANEL);
    return (g, w, h) -> {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      centered(g, title, w / 2, 28);
      int x0 = MARGIN, x1 = MARGIN + PANEL + GAP, y0 = TITLE + 30;
      panel(g, a, leftTitle, x0, y0);
      panel(g, b, rightTitle, x1, y0);
    };
  }

  private static void panel(Graphics2D g, Cells c, String title, int x, int y) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    centered(g, title + "  (" + c.rows + " x " + c.cols + (c.factor > 1 ? ", " + c.factor + "x" + c.factor + " block means" : "") + ")", x + PANEL / 2, y - 10);
    BufferedImage img = c.image(Math.max(1, PANEL / Math.max(c.r, c.c)));
    // one image, scaled without smoothing: crisp cells in PNG and a single embedded image in SVG
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    int pw = c.drawWidth(PANEL), ph = c.drawHeight(PANEL);
    g.drawImage(img, x, y, pw, ph, null);
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, pw, ph);
    // colour bar
    int bx = x + PANEL + 12;
    BufferedImage bar = new BufferedImage(1, 256, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 256; i++) bar.setRGB(0, 255 - i, c.color(c.lo + (c.hi - c.lo) * i / 255.0).getRGB());
    g.drawImage(bar, bx, y, BAR, PANEL, null);
    g.drawRect(bx, y, BAR, PANEL);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setColor(Color.BLACK);
    g.drawString(number(c.hi), bx + BAR + 4, y + 10);
    g.drawString(number((c.lo + c.hi) / 2), bx + BAR + 4, y + PANEL / 2 + 4);
    g.drawString(number(c.lo), bx + BAR + 4, y + PANEL);
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v != 0) ? "%.2e" : "%.3f", v);
  }

  private static void centered(Graphics2D g, String s, int cx, int baseline) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(s, cx - fm.stringWidth(s) / 2, baseline);
  }

  /** A matrix reduced to at most {@code max} x {@code max} cells, with its colour scale. */
  private record Cells(double[] v, int rows, int cols, int r, int c, int factor, double lo, double hi, boolean diverging) {
    static Cells of(String side, Tensor m, int max) {
      if (m == null || m.dim() != 2 || m.numel() == 0) {
        throw new IllegalArgumentException("Heatmaps: the " + side + " matrix must be a non-empty 2-D tensor, got " + (m == null ? "null" : Shape.str(m.shape())));
      }
      int rows = m.size(0), cols = m.size(1);
      int factor = Math.max(1, (int) Math.ceil(Math.max(rows, cols) / (double) max));
      int r = (rows + factor - 1) / factor, c = (cols + factor - 1) / factor;
      double[] src = m.toDoubleArray(), v = new double[r * c];
      int[] count = new int[r * c];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          double x = src[i * cols + j];
          if (!Double.isFinite(x)) throw new IllegalArgumentException("Heatmaps: the " + side + " matrix has a non-finite entry at (" + i + ", " + j + ")");
          v[(i / factor) * c + j / factor] += x;
          count[(i / factor) * c + j / factor]++;
        }
      }
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v.length; k++) {
        v[k] /= count[k];
        lo = Math.min(lo, v[k]);
        hi = Math.max(hi, v[k]);
      }
      boolean diverging = lo < 0 && hi > 0;
      if (diverging) {
        double a = Math.max(-lo, hi);
        lo = -a;
        hi = a;
      }
      if (hi == lo) {
        hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 1e-9);
      }
      return new Cells(v, rows, cols, r, c, factor, lo, hi, diverging);
    }

    /**
     * One square of {@code scale} x {@code scale} pixels per cell: SVG viewers smooth a scaled
     * image, so the cells are enlarged here to stay crisp.
     */
    BufferedImage image(int scale) {
      BufferedImage img = new BufferedImage(c * scale, r * scale, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < r * scale; i++) for (int j = 0; j < c * scale; j++) img.setRGB(j, i, color(v[(i / scale) * c + j / scale]).getRGB());
      return img;
    }

    int drawWidth(int panel) {
      return c >= r ? panel : (int) Math.round(panel * (double) c / r);
    }

    int drawHeight(int panel) {
      return r >= c ? panel : (int) Math.round(panel * (double) r / c);
    }

    Color color(double x) {
      double t = Math.max(0, Math.min(1, (x - lo) / (hi - lo)));
      return diverging ? Colormaps.diverging(t) : Colormaps.sequential(t);
    }
  }
}
