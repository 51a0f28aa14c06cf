package ansatz.instrument.chart;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class ChartsTest {
  @Test
  void drawsOneSeriesPerNameAndWritesBothFiles(@TempDir Path dir) throws Exception {
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("layer 0", new double[] {0.0, 0.1, 0.3});
    s.put("layer 2", new double[] {0.0, 0.05, Double.NaN});
    XYChart chart = Charts.lines("weight change", "||dW||/||W||", false, new long[] {0, 10, 20}, s);
    assertEquals(2, chart.getSeriesMap().size());
    assertEquals(2, chart.getSeriesMap().get("layer 2").getXData().length, "the NaN point is left out");
    ChartFiles.Written w = ChartFiles.save(chart, dir, "lines");
    assertTrue(Files.size(w.png()) > 0 && Files.size(w.svg()) > 0);
  }

  @Test
  void logAxisDropsNonPositivePointsAndRejectsMismatchedLengths() {
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("a", new double[] {0, 1, 2});
    XYChart chart = Charts.lines("t", "y", true, new long[] {0, 1, 2}, s);
    assertEquals(2, chart.getSeriesMap().get("a").getXData().length);
    s.put("b", new double[] {1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.lines("t", "y", true, new long[] {0, 1, 2}, s));
    assertTrue(e.getMessage().contains("b"), e.getMessage());
    Map<String, double[]> none = Map.of("z", new double[] {0, -1});
    assertThrows(IllegalArgumentException.class, () -> Charts.lines("t", "y", true, new long[] {0, 1}, none));
  }

  @Test
  void nc1ByLayerLabelsTheLayerTicks(@TempDir Path dir) {
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("X", new double[] {1.4, 0.7, 0.3, 0.2});
    XYChart chart = Charts.nc1ByLayer("nc1", java.util.List.of("layer 1", "layer 2", "layer 3", "layer 4"), s);
    java.util.Set<String> seen = new java.util.TreeSet<>();
    var f = chart.getStyler().getxAxisTickLabelsFormattingFunction();
    chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
      String label = f.apply(v);
      seen.add(label);
      return label;
    });
    ChartFiles.save(chart, dir, "nc1"); // XChart asks for the labels while it lays out the axis
    assertTrue(seen.containsAll(java.util.List.of("layer 1", "layer 2", "layer 3", "layer 4")), "tick labels drawn: " + seen);
  }
}
