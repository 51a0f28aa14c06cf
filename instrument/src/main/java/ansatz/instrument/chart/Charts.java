package ansatz.instrument.chart;

import ansatz.instrument.CatapultDetector;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The standard line charts of the experiments, as XChart {@link XYChart}s (tweak them if needed,
 * then write PNG + SVG with {@link ChartFiles#save(org.knowm.xchart.internal.chartpart.Chart,
 * java.nio.file.Path, String)}). On log axes, points that cannot be drawn (&lt;= 0, NaN, infinite)
 * are left out.
 */
public final class Charts {
  private Charts() {}

  /**
   * Training loss over steps on a log axis, with each catapult marked: a red dot at its peak and a
   * grey vertical line where it started.
   */
  public static XYChart loss(String title, long[] steps, double[] loss, List<CatapultDetector.Event> events) {
    Series.sameLength("Charts.loss", "loss", steps.length, loss.length);
    XYChart chart = Style.lineChart(title, "step", "training loss (log)", true);
    Series.Points p = Series.drawable(Series.steps(steps), loss, true);
    if (p.isEmpty()) throw new IllegalArgumentException("Charts.loss: no finite positive loss to draw");
    Style.line(chart, "loss", p.x(), p.y(), Style.color(0), Style.SOLID, null);
    if (events != null && !events.isEmpty()) {
      List<double[]> peaks = new ArrayList<>();
      for (CatapultDetector.Event e : events) {
        if (Double.isFinite(e.peakLoss()) && e.peakLoss() > 0) peaks.add(new double[] {e.peakStep(), e.peakLoss()});
        chart.addAnnotation(new AnnotationLine(e.startStep(), true, false));
      }
      if (!peaks.isEmpty()) {
        double[] x = new double[peaks.size()], y = new double[peaks.size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = peaks.get(i)[0];
          y[i] = peaks.get(i)[1];
        }
        Style.points(chart, "catapult peak (" + events.size() + "); dotted: start", x, y, Style.color(3), SeriesMarkers.CIRCLE);
      }
      chart.getStyler().setAnnotationLineColor(new Color(150, 150, 150));
      chart.getStyler().setAnnotationLineStroke(Style.DOTTED);
    }
    return chart;
  }

  /**
   * NFA correlations per layer over steps: one colour per layer, solid for UC and dashed for C,
   * circles for alpha = 1 and squares for alpha = 1/2, each a named legend entry.
   *
   * @param correlation the correlation used, for the axis title (e.g. "pearson")
   */
  public static XYChart nfa(String title, String correlation, long[] steps, List<NfaSeries> series) {
    XYChart chart = Style.lineChart(title, "step", "NFA correlation (" + correlation + ")", false);
    double[] x = Series.steps(steps);
    Map<String, Integer> layerColor = new LinkedHashMap<>();
    double lo = 0;
    for (NfaSeries s : series) {
      Series.sameLength("Charts.nfa", s.label(), steps.length, s.values().length);
      int c = layerColor.computeIfAbsent(s.layer(), k -> layerColor.size());
      Marker marker = s.alpha() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.SQUARE;
      Series.Points p = Series.drawable(x, s.values(), false);
      if (p.isEmpty()) continue;
      for (double v : p.y()) lo = Math.min(lo, v);
      Style.line(chart, s.label(), p.x(), p.y(), Style.color(c), s.centered() ? Style.DASHED : Style.SOLID, steps.length <= 60 ? marker : null);
    }
    if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("Charts.nfa: no finite values to draw");
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setYAxisMin(lo < 0 ? -1.0 : 0.0);
    return chart;
  }

  /**
   * lambda_max of the NTK over steps against the stability edge 2/eta (eta per step, so schedules
   * show): in the catapult phase lambda_max starts above the line and falls below it.
   */
  public static XYChart lambdaMax(String title, long[] steps, double[] lambdaMax, double[] learningRates) {
    Series.sameLength("Charts.lambdaMax", "lambda_max", steps.length, lambdaMax.length);
    Series.sameLength("Charts.lambdaMax", "learning rates", steps.length, learningRates.length);
    XYChart chart = Style.lineChart(title, "step", "eigenvalue", false);
    double[] x = Series.steps(steps), edge = new double[steps.length];
    for (int i = 0; i < edge.length; i++) edge[i] = 2 / learningRates[i];
    Series.Points l = Series.drawable(x, lambdaMax, false), e = Series.drawable(x, edge, false);
    if (l.isEmpty()) throw new IllegalArgumentException("Charts.lambdaMax: no finite lambda_max to draw");
    Style.line(chart, "lambda_max(NTK)", l.x(), l.y(), Style.color(0), Style.SOLID, steps.length <= 60 ? SeriesMarkers.CIRCLE : null);
    if (!e.isEmpty()) Style.line(chart, "2/eta", e.x(), e.y(), Color.BLACK, Style.DASHED, null);
    chart.getStyler().setYAxisMin(0.0);
    return chart;
  }

  /** {@link #lambdaMax(String, long[], double[], double[])} with one fixed learning rate. */
  public static XYChart lambdaMax(String title, long[] steps, double[] lambdaMax, double learningRate) {
    double[] lr = new double[steps.length];
    java.util.Arrays.fill(lr, learningRate);
    return lambdaMax(title, steps, lambdaMax, lr);
  }

  /**
   * NC1 against layer on a log axis, one line per named series (e.g. "X", "X M^1/2", "mapped" for
   * Deep RFM; or "input", "S V^T X", "sigma(WX)" for the singular split). Values that cannot be
   * drawn on a log axis (&lt;= 0, NaN) are left as gaps.
   *
   * @param layers the category labels along x, in order
   */
  public static CategoryChart nc1ByLayer(String title, List<String> layers, Map<String, double[]> series) {
    CategoryChart chart = Style.categoryLineChart(title, "layer", "NC1 = tr(Sigma_W)/tr(Sigma_B) (log)", true);
    int c = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      Series.sameLength("Charts.nc1ByLayer", e.getKey(), layers.size(), e.getValue().length);
      List<Double> y = new ArrayList<>();
      boolean any = false;
      for (double v : e.getValue()) {
        boolean ok = Double.isFinite(v) && v > 0;
        y.add(ok ? v : null);
        any |= ok;
      }
      if (any) {
        CategorySeries s = chart.addSeries(e.getKey(), layers, y);
        s.setLineColor(Style.color(c));
        s.setMarkerColor(Style.color(c));
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(Style.SOLID);
      }
      c++;
    }
    if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("Charts.nc1ByLayer: no positive finite NC1 to draw");
    return chart;
  }

  /** NC1 of each layer over steps on a log axis. */
  public static XYChart nc1OverSteps(String title, long[] steps, Map<String, double[]> perLayer) {
    XYChart chart = Style.lineChart(title, "step", "NC1 = tr(Sigma_W)/tr(Sigma_B) (log)", true);
    double[] x = Series.steps(steps);
    int c = 0;
    for (Map.Entry<String, double[]> e : perLayer.entrySet()) {
      Series.sameLength("Charts.nc1OverSteps", e.getKey(), steps.length, e.getValue().length);
      Series.Points p = Series.drawable(x, e.getValue(), true);
      if (!p.isEmpty()) Style.line(chart, e.getKey(), p.x(), p.y(), Style.color(c), Style.SOLID, steps.length <= 60 ? SeriesMarkers.CIRCLE : null);
      c++;
    }
    if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("Charts.nc1OverSteps: no positive finite NC1 to draw");
    return chart;
  }
}
