package ansatz.instrument.chart;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * Bar charts of one value per coordinate, e.g. the diagonal of a learned feature matrix M (which
 * coordinates a kernel machine weights). Write them with {@link ChartFiles#save(
 * org.knowm.xchart.internal.chartpart.Chart, java.nio.file.Path, String)}.
 */
public final class Bars {
  static {
    ChartFiles.init();
  }

  /** At most this many x labels are drawn (so 100 bars still have readable labels). */
  static final int MAX_LABELS = 25;

  private Bars() {}

  /**
   * One bar per value, at x = 1, 2, ..., values.length (coordinates counted from 1, as papers do).
   * Non-finite values are drawn as 0 and counted in the title, so a bad entry is visible.
   *
   * @param highlight 1-based coordinates drawn in a second colour (e.g. the true relevant
   *     coordinates), or null
   * @throws IllegalArgumentException for no values or a highlight outside 1..values.length
   */
  public static CategoryChart values(String title, String xTitle, String yTitle, double[] values, int[] highlight) {
    if (values == null || values.length == 0) throw new IllegalArgumentException("Bars.values: no values to draw");
    boolean[] marked = new boolean[values.length];
    if (highlight != null) {
      for (int h : highlight) {
        if (h < 1 || h > values.length) throw new IllegalArgumentException("Bars.values: highlight " + h + " is outside 1.." + values.length);
        marked[h - 1] = true;
      }
    }
    int bad = 0;
    List<Integer> x = new ArrayList<>();
    List<Double> plain = new ArrayList<>(), special = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!Double.isFinite(v)) {
        bad++;
        v = 0;
      }
      x.add(i + 1);
      plain.add(marked[i] ? 0.0 : v);
      special.add(marked[i] ? v : 0.0);
    }
    CategoryChart chart = new CategoryChart(Style.WIDTH, Style.HEIGHT);
    chart.setTitle(bad == 0 ? title : title + " (" + bad + " non-finite drawn as 0)");
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    var s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.DARK_GRAY);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    s.setChartTitleBoxVisible(false);
    s.setToolTipsEnabled(false);
    s.setOverlapped(true); // the two series share each slot: a bar is either plain or highlighted
    s.setAvailableSpaceFill(0.8);
    s.setXAxisMaxLabelCount(Math.min(values.length, MAX_LABELS));
    boolean any = highlight != null && highlight.length > 0;
    CategorySeries p = chart.addSeries(any ? "other coordinates" : "value", x, plain);
    p.setFillColor(Style.color(0));
    if (any) chart.addSeries("highlighted", x, special).setFillColor(Style.color(3));
    else s.setLegendVisible(false);
    return chart;
  }
}
