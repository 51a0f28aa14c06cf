package ansatz.instrument.chart;

import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Generic line charts against a shared numeric x axis (e.g. success rate against the number of
 * measurements, one line per method), in the look of {@link Charts}. Points that cannot be drawn
 * (non-finite, or &lt;= 0 on a log axis) are left out.
 */
public final class Curves {
  private Curves() {}

  /**
   * @param x the shared x values
   * @param series one line per entry (legend name to y values, each as long as x), in map order
   * @param logY logarithmic y axis
   * @throws IllegalArgumentException if a series' length differs from x's, or nothing is drawable
   */
  public static XYChart lines(String title, String xTitle, String yTitle, double[] x, Map<String, double[]> series, boolean logY) {
    XYChart chart = Style.lineChart(title, xTitle, yTitle, logY);
    int c = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      Series.sameLength("Curves.lines", e.getKey(), x.length, e.getValue().length);
      Series.Points p = Series.drawable(x, e.getValue(), logY);
      if (!p.isEmpty()) Style.line(chart, e.getKey(), p.x(), p.y(), Style.color(c), Style.SOLID, x.length <= 60 ? SeriesMarkers.CIRCLE : null);
      c++;
    }
    if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("Curves.lines: no drawable values" + (logY ? " (log axis needs y > 0)" : ""));
    return chart;
  }
}
