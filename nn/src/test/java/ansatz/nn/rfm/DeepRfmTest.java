package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.metrics.NeuralCollapse;
import org.junit.jupiter.api.Test;

class DeepRfmTest {

  /** The 4-class quadrant task: x ~ N(0, I_d), class = [x_1 &gt; 0] + 2 [x_2 &gt; 0]. */
  static int[] quadrantLabels(Tensor x) {
    int[] labels = new int[x.size(0)];
    for (int i = 0; i < labels.length; i++) labels[i] = (x.get(i, 0) > 0 ? 1 : 0) + (x.get(i, 1) > 0 ? 2 : 0);
    return labels;
  }

  /**
   * DEFINITIONS claim 7: d = 20, n = 1000, 8 layers: NC1 falls by about 3 orders of magnitude and
   * the AGOP projection lowers NC1 at every layer. (Measured here: 13.4 -> 1.2e-2 after the last
   * map, 7.9e-3 after the last projection.)
   */
  @Test
  void collapsesTheQuadrantTask() {
    Rng rng = new Rng(11);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 1000, 20);
    int[] labels = quadrantLabels(x);
    DeepRfmResult r = DeepRfm.fit(x, labels, 4, DeepRfmOptions.defaults());
    assertEquals(8, r.layers().size());
    for (DeepRfmLayer l : r.layers()) {
      assertTrue(l.projected().nc1() < l.input().nc1(), "layer " + l.layer() + ": NC1 " + l.input().nc1() + " -> " + l.projected().nc1() + " after the projection");
    }
    double first = r.layers().get(0).input().nc1(), last = r.layers().get(7).mapped().nc1();
    assertTrue(last < 1e-2 * first, "NC1 only fell from " + first + " to " + last);
    // The recorded final features are what the last layer produced, and transform reproduces them.
    assertArrayEquals(new int[] {1000, 512}, r.features().shape());
    assertEquals(last, NeuralCollapse.nc1(r.features(), labels, 4), 1e-12 * last);
    assertTrue(Fixtures.maxAbsDiff(r.features().toDoubleArray(), r.transform(x).toDoubleArray()) < 1e-12);
  }

  @Test
  void fourierMapSeedsAndTypes() {
    Rng rng = new Rng(12);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 200, 6);
    int[] labels = quadrantLabels(x);
    DeepRfmOptions o = DeepRfmOptions.defaults().withLayers(2).withWidth(64).withMap(RandomMapType.LAPLACE_FOURIER);
    DeepRfmResult a = DeepRfm.fit(x, labels, 4, o), b = DeepRfm.fit(x, labels, 4, o);
    assertArrayEquals(a.features().toDoubleArray(), b.features().toDoubleArray());
    // Fourier features of norm sqrt(2/D) * sqrt(sum cos^2): each entry within +-sqrt(2/64).
    for (double v : a.features().toDoubleArray()) assertTrue(Math.abs(v) <= Math.sqrt(2.0 / 64) + 1e-12);
    DeepRfmResult f32 = DeepRfm.fit(x.toFloat32(), labels, 4, o.withMap(RandomMapType.RELU));
    assertEquals(DType.FLOAT32, f32.features().dtype());
    DeepRfmResult f64 = DeepRfm.fit(x, labels, 4, o.withMap(RandomMapType.RELU));
    assertEquals(f64.layers().get(1).mapped().nc1(), f32.layers().get(1).mapped().nc1(), 1e-3 * f64.layers().get(1).mapped().nc1());
    // The projection matrix is the PSD root of AGOP / max: its square has largest entry 1.
    Tensor s = f64.model().sqrtMetric(0);
    double max = 0;
    for (double v : s.matmul(s).toDoubleArray()) max = Math.max(max, Math.abs(v));
    assertEquals(1.0, max, 1e-10);
  }

  @Test
  void reluMapHasFanInVariance() {
    RandomMap map = RandomMap.draw(RandomMapType.RELU, new Rng(1), 50, 4000, 1);
    // One unit-norm input: pre-activations ~ N(0, 1/d), so E[ReLU(z)^2] = 1/(2d).
    double[] e = new double[50];
    e[0] = 1;
    Rows out = map.apply(Rows.wrap(e, 1, 50));
    double mean = 0;
    for (int k = 0; k < 4000; k++) mean += out.d[k] * out.d[k] / 4000;
    assertEquals(1.0 / 100, mean, 0.1 / 100);
  }
}
