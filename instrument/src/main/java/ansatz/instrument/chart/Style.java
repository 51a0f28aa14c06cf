package ansatz.instrument.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The common look of the line charts: white background, readable fonts, a fixed palette. */
final class Style {
  static {
    ChartFiles.init(); // headless before the first AWT class below initializes
  }

  private Style() {}

  /** Default chart size in pixels. */
  static final int WIDTH = 900, HEIGHT = 540;

  /** Tableau 10: distinguishable, also for most colour-blind readers. */
  static final Color[] PALETTE = {
      new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
      new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
      new Color(188, 189, 34), new Color(23, 190, 207)};

  static final BasicStroke SOLID = new BasicStroke(2f);
  static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f);
  static final BasicStroke DOTTED = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 4f}, 0f);

  static Color color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  static XYChart lineChart(String title, String xTitle, String yTitle, boolean logY) {
    XYChart chart = new XYChart(WIDTH, HEIGHT);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    apply(chart.getStyler(), logY);
    return chart;
  }

  /** Lines over named categories (e.g. layers) rather than numbers. */
  static CategoryChart categoryLineChart(String title, String xTitle, String yTitle, boolean logY) {
    CategoryChart chart = new CategoryChart(WIDTH, HEIGHT);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    apply(chart.getStyler(), logY);
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setOverlapped(true);
    return chart;
  }

  private static void apply(AxesChartStyler s, boolean logY) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.DARK_GRAY);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    s.setMarkerSize(6);
    s.setYAxisLogarithmic(logY);
    s.setChartTitleBoxVisible(false);
    s.setToolTipsEnabled(false);
    if (!logY) s.setyAxisTickLabelsFormattingFunction(Style::tick);
  }

  /** Tick labels like 0.08, 1.5, 120, 2.5e-05 (XChart's default pattern writes ".08"). */
  static String tick(Double v) {
    double a = Math.abs(v);
    if (a == 0) return "0";
    if (a >= 1e5 || a < 1e-3) return String.format(java.util.Locale.ROOT, "%.2g", v);
    String t = String.format(java.util.Locale.ROOT, "%.4f", v);
    t = t.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  /** A line series: colour, stroke, and a marker or none. */
  static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, BasicStroke stroke, Marker marker) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLineColor(color);
    s.setLineStyle(stroke);
    s.setMarker(marker == null ? SeriesMarkers.NONE : marker);
    if (marker != null) s.setMarkerColor(color);
    return s;
  }

  /** Markers only. */
  static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color color, Marker marker) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(marker);
    s.setMarkerColor(color);
    return s;
  }
}
