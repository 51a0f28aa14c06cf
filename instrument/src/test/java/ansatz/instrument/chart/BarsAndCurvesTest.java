package ansatz.instrument.chart;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

class BarsAndCurvesTest {
  @TempDir Path tmp;

  private static void assertWritten(ChartFiles.Written w) throws Exception {
    assertTrue(Files.size(w.png()) > 1000, "png " + w.png());
    byte[] head = Files.readAllBytes(w.png());
    assertEquals((byte) 0x89, head[0]);
    assertEquals('P', head[1]);
    assertTrue(Files.readString(w.svg()).contains("<svg"), "svg " + w.svg());
  }

  @Test
  void barsKeepEveryValueAndSplitTheHighlightedOnes() throws Exception {
    double[] v = new double[100];
    for (int i = 0; i < v.length; i++) v[i] = 0.001 * i;
    v[0] = 1;
    v[1] = 0.9;
    CategoryChart c = Bars.values("diag(M)", "coordinate", "M_jj", v, new int[] {1, 2});
    assertEquals(2, c.getSeriesMap().size());
    var other = c.getSeriesMap().get("other coordinates");
    var high = c.getSeriesMap().get("highlighted");
    assertEquals(100, other.getXData().size());
    java.util.List<Number> ya = new java.util.ArrayList<>(other.getYData()), yb = new java.util.ArrayList<>(high.getYData());
    double sum = 0;
    for (int i = 0; i < 100; i++) {
      double a = ya.get(i).doubleValue(), b = yb.get(i).doubleValue();
      assertEquals(v[i], a + b, 0.0, "each coordinate's value is in exactly one series");
      assertTrue(a == 0 || b == 0);
      sum += b;
    }
    assertEquals(1.9, sum, 1e-12);
    assertWritten(ChartFiles.save(c, tmp, "bars"));
  }

  @Test
  void barsRejectEmptyInputAndBadHighlights() {
    assertThrows(IllegalArgumentException.class, () -> Bars.values("t", "x", "y", new double[0], null));
    var e = assertThrows(IllegalArgumentException.class, () -> Bars.values("t", "x", "y", new double[3], new int[] {4}));
    assertTrue(e.getMessage().contains("highlight 4"), e.getMessage());
    CategoryChart c = Bars.values("t", "x", "y", new double[] {1, Double.NaN}, null);
    assertTrue(c.getTitle().contains("1 non-finite"), c.getTitle());
  }

  @Test
  void curvesDrawOneLinePerSeriesAndDropUndrawablePoints() throws Exception {
    double[] x = {20, 40, 60, 80};
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("alpha = 1/2", new double[] {0, 0.5, 1, 1});
    s.put("alpha = 0", new double[] {0, 0, Double.NaN, 0});
    XYChart c = Curves.lines("success", "n", "rate", x, s, false);
    assertEquals(2, c.getSeriesMap().size());
    assertEquals(3, c.getSeriesMap().get("alpha = 0").getXData().length, "the NaN point is left out");
    assertWritten(ChartFiles.save(c, tmp, "curves"));
    XYChart log = Curves.lines("success", "n", "rate", x, s, true);
    assertEquals(1, log.getSeriesMap().size(), "all-zero series has nothing to draw on a log axis");
    assertThrows(IllegalArgumentException.class, () -> Curves.lines("t", "x", "y", x, Map.of("short", new double[] {1}), false));
    assertThrows(IllegalArgumentException.class, () -> Curves.lines("t", "x", "y", x, Map.of("zeros", new double[4]), true));
  }
}
