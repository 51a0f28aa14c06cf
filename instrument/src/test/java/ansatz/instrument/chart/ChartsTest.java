package ansatz.instrument.chart;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.CatapultDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.w3c.dom.Document;

/**
 * Every chart is written as PNG and SVG; the PNG must read back with the chart's size and the SVG
 * must parse as XML with an svg root. Set the environment variable ANSATZ_CHART_DIR to keep the files for a look.
 */
class ChartsTest {
  @TempDir Path tmp;

  private Path dir() throws IOException {
    String keep = System.getenv("ANSATZ_CHART_DIR");
    Path d = keep == null ? tmp : Path.of(keep);
    Files.createDirectories(d);
    return d;
  }

  static void assertValid(ChartFiles.Written w, int width, int height) throws Exception {
    assertTrue(Files.size(w.png()) > 1000, "png too small: " + Files.size(w.png()));
    BufferedImage img = ImageIO.read(w.png().toFile());
    assertNotNull(img, "ImageIO cannot read " + w.png());
    assertEquals(width, img.getWidth());
    assertEquals(height, img.getHeight());
    assertTrue(Files.size(w.svg()) > 1000, "svg too small");
    var f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(w.svg().toFile());
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    // no temporary files left behind
    try (var s = Files.list(w.png().getParent())) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }

  /** A loss curve with two spikes, as a catapult run looks. */
  static double[] spikyLoss(int steps) {
    double[] l = new double[steps];
    for (int t = 0; t < steps; t++) {
      l[t] = 0.5 * Math.exp(-t / 40.0) + 1e-3;
      if (t >= 10 && t < 20) l[t] *= Math.exp(3 * Math.sin(Math.PI * (t - 10) / 10));
      if (t >= 90 && t < 96) l[t] *= Math.exp(1.5 * Math.sin(Math.PI * (t - 90) / 6));
    }
    return l;
  }

  static long[] steps(int n) {
    long[] s = new long[n];
    for (int i = 0; i < n; i++) s[i] = i;
    return s;
  }

  @Test
  void lossWithCatapults() throws Exception {
    double[] loss = spikyLoss(200);
    CatapultDetector det = new CatapultDetector();
    for (int t = 0; t < loss.length; t++) det.observe(t, loss[t]);
    loss[150] = Double.POSITIVE_INFINITY; // not drawable on a log axis: left out
    List<CatapultDetector.Event> events = det.events();
    assertEquals(2, events.size());
    XYChart chart = Charts.loss("Training loss, eta = 1.5 x 2/lambda_0", steps(200), loss, events);
    assertTrue(chart.getStyler().isYAxisLogarithmic());
    assertTrue(chart.getSeriesMap().containsKey("catapult peak (2); dotted: start"));
    assertEquals(199, chart.getSeriesMap().get("loss").getXData().length);
    assertValid(ChartFiles.save(chart, dir(), "loss"), Style.WIDTH, Style.HEIGHT);
  }

  @Test
  void nfaCorrelationsPerLayer() throws Exception {
    int n = 30;
    List<NfaSeries> series = new ArrayList<>();
    for (int l = 0; l < 3; l++) {
      for (boolean centered : new boolean[] {false, true}) {
        for (double alpha : new double[] {1, 0.5}) {
          double[] v = new double[n];
          for (int t = 0; t < n; t++) v[t] = (centered ? 0.95 : 0.5 + 0.1 * l) * (1 - Math.exp(-t / 8.0)) * (alpha == 1 ? 0.9 : 1);
          series.add(new NfaSeries("layer " + l, centered, alpha, v));
        }
      }
    }
    XYChart chart = Charts.nfa("NFA over training", "pearson", steps(n), series);
    assertEquals(12, chart.getSeriesMap().size());
    assertTrue(chart.getSeriesMap().containsKey("layer 1 C a=1/2"));
    assertValid(ChartFiles.save(chart, dir(), "nfa"), Style.WIDTH, Style.HEIGHT);
  }

  @Test
  void lambdaMaxAgainstTheStabilityEdge() throws Exception {
    int n = 60;
    double[] lambda = new double[n];
    for (int t = 0; t < n; t++) lambda[t] = t < 5 ? 0.26 : 0.11 + 0.15 * Math.exp(-(t - 5) / 2.0);
    XYChart chart = Charts.lambdaMax("lambda_max of the NTK, eta = 1.5 x 2/lambda_0", steps(n), lambda, 2 / 0.175);
    assertArrayEquals(new double[] {0.175, 0.175}, java.util.Arrays.copyOf(chart.getSeriesMap().get("2/eta").getYData(), 2), 1e-12);
    assertValid(ChartFiles.save(chart, dir(), "lambda"), Style.WIDTH, Style.HEIGHT);
  }

  @Test
  void nc1PerLayerAndOverSteps() throws Exception {
    Map<String, double[]> byLayer = new LinkedHashMap<>();
    byLayer.put("X (before)", new double[] {3, 1.2, 0.4, 0.1, 0.03, 0.01, 4e-3, 2e-3});
    byLayer.put("X M^1/2 (after AGOP)", new double[] {1.5, 0.5, 0.15, 0.04, 0.012, 0, 1.5e-3, 6e-4}); // 0: a gap
    List<String> layers = List.of("layer 1", "layer 2", "layer 3", "layer 4", "layer 5", "layer 6", "layer 7", "layer 8");
    var chart = Charts.nc1ByLayer("Deep RFM: NC1 per layer", layers, byLayer);
    assertValid(ChartFiles.save(chart, dir(), "nc1-layers"), Style.WIDTH, Style.HEIGHT);
    Map<String, double[]> over = new LinkedHashMap<>();
    for (int l = 0; l < 3; l++) {
      double[] v = new double[50];
      for (int t = 0; t < 50; t++) v[t] = Math.pow(10, 1 - l * 0.5 - t / 15.0);
      over.put("layer " + l, v);
    }
    assertValid(ChartFiles.save(Charts.nc1OverSteps("NC1 over training", steps(50), over), dir(), "nc1-steps"), Style.WIDTH, Style.HEIGHT);
  }

  @Test
  void heatmapPair() throws Exception {
    Rng rng = new Rng(3);
    int d = 40;
    Tensor b = Tensor.randn(rng, DType.FLOAT64, d, 6);
    Tensor nfm = b.matmul(b.t()).add(Tensor.eye(d, DType.FLOAT64).mul(3));
    Tensor agop = nfm.add(Tensor.randn(rng, DType.FLOAT64, d, d).mul(0.5));
    ChartFiles.Written w = Heatmaps.writePair(dir(), "heatmaps", "Layer 1: NFM vs AGOP^1/2 (pearson 0.93)", nfm, "NFM = W^T W", agop, "AGOP^1/2");
    assertValid(w, Heatmaps.width(), Heatmaps.height());
    // a large PSD matrix is block-averaged, one sign uses the sequential map
    Tensor big = Tensor.randn(rng, DType.FLOAT64, 800, 3);
    assertValid(Heatmaps.writePair(dir(), "heatmaps-big", "800 x 800", big.matmul(big.t()).abs(), "left", Tensor.eye(800, DType.FLOAT64), "right"),
        Heatmaps.width(), Heatmaps.height());
  }

  @Test
  void badInputsAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Charts.loss("t", steps(3), new double[2], List.of()))
        .getMessage().contains("2 values for 3 steps"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Charts.loss("t", steps(2), new double[] {0, -1}, List.of()))
        .getMessage().contains("no finite positive loss"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Heatmaps.pair("t", Tensor.zeros(3), "a", Tensor.zeros(2, 2), "b")).getMessage().contains("[3]"));
    double[][] nan = {{1, Double.NaN}, {0, 1}};
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Heatmaps.pair("t", Tensor.of(nan), "a", Tensor.zeros(2, 2), "b")).getMessage().contains("(0, 1)"));
  }
}
