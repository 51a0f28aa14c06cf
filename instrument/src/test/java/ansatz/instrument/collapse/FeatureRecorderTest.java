package ansatz.instrument.collapse;


import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Conv2d;
import ansatz.nn.Flatten;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.metrics.NeuralCollapse;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

class FeatureRecorderTest {
  @Test
  void capturesInputAndOutputOfALayerInBatches() {
    Rng rng = new Rng(4);
    Sequential net = (Sequential) Models.mlp(new int[] {3, 5, 2}, Activation.RELU, true, rng).to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 7, 3);
    Module relu = net.get(1);
    Linear last = (Linear) net.get(2);
    Tensor hidden = net.get(1).call(net.get(0).call(x)).detach();
    Tensor in = FeatureRecorder.capture(net, last, FeatureRecorder.Side.INPUT, x, 3);
    Tensor out = FeatureRecorder.capture(net, relu, FeatureRecorder.Side.OUTPUT, x, 2);
    assertArrayEquals(new int[] {7, 5}, in.shape());
    assertArrayEquals(hidden.toDoubleArray(), in.toDoubleArray(), 0);
    assertArrayEquals(hidden.toDoubleArray(), out.toDoubleArray(), 0);
    assertArrayEquals(net.call(x).toDoubleArray(), FeatureRecorder.capture(net, last, FeatureRecorder.Side.OUTPUT, x, 100).toDoubleArray(), 0);
  }

  @Test
  void convFeaturesAreFlattenedPerSample() {
    Rng rng = new Rng(5);
    Conv2d conv = new Conv2d(1, 2, 3, 1, 1, false, rng);
    Sequential net = new Sequential(conv, new ReLU(), new Flatten(), new Linear(2 * 4 * 4, 3, false, rng));
    Tensor x = Tensor.randn(rng, 6, 1, 4, 4);
    Tensor f = FeatureRecorder.capture(net, conv, FeatureRecorder.Side.OUTPUT, x, 4);
    assertArrayEquals(new int[] {6, 32}, f.shape());
    assertArrayEquals(conv.call(x).toDoubleArray(), f.toDoubleArray(), 0);
  }

  @Test
  void hookIsRemovedOnClose() {
    Linear lin = new Linear(2, 2, false, new Rng(1));
    FeatureRecorder rec = new FeatureRecorder(lin, FeatureRecorder.Side.OUTPUT);
    lin.call(Tensor.ones(3, 2));
    rec.close();
    lin.call(Tensor.ones(4, 2));
    assertEquals(3, rec.rows());
    rec.clear();
    assertEquals(0, rec.rows());
    assertThrows(IllegalStateException.class, rec::features);
  }

  @Test
  void moduleThatDoesNotRunIsReported() {
    Linear used = new Linear(2, 2, false, new Rng(1)), unused = new Linear(2, 2, false, new Rng(2));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> FeatureRecorder.capture(used, unused, FeatureRecorder.Side.INPUT, Tensor.ones(3, 2), 8));
    assertTrue(e.getMessage().contains("0 rows for 3"), e.getMessage());
  }

  /**
   * Inputs: class c at e_c in R^3 (centred, the simplex ETF) plus noise in a 4th coordinate; a
   * Linear layer that drops the 4th coordinate collapses them completely.
   */
  @Test
  void layerThatDropsTheNoiseCollapsesToTheSimplexEtf() {
    Rng rng = new Rng(8);
    int n = 30, k = 3;
    int[] y = SingularSplitTest.cyclicLabels(n, k);
    double[][] x = new double[n][4];
    for (int i = 0; i < n; i++) {
      x[i][y[i]] = 2;
      x[i][3] = rng.nextGaussian();
    }
    Linear drop = new Linear(4, 3, false, rng);
    drop.to(DType.FLOAT64);
    try (var off = ansatz.autograd.Grad.disabled()) {
      drop.weight().tensor().copyFrom(Tensor.of(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}}));
    }
    Sequential net = new Sequential(drop);
    NeuralCollapse.Stats in = LayerCollapse.measure(net, drop, FeatureRecorder.Side.INPUT, Tensor.of(x), y, k);
    NeuralCollapse.Stats out = LayerCollapse.measure(net, drop, FeatureRecorder.Side.OUTPUT, Tensor.of(x), y, k);
    assertTrue(in.nc1() > 0.1, "input not collapsed: " + in.nc1());
    assertTrue(in.nc2() < 1e-2, "input means are the ETF up to the noise's class means: " + in.nc2());
    assertEquals(0, out.nc1(), 1e-15);
    assertEquals(0, out.nc1Pinv(), 1e-15);
    assertEquals(0, out.nc2(), 1e-12);
  }

  @Test
  void layerCollapseOfAnIdentityLayerIsTheCollapseOfItsInput() {
    Rng rng = new Rng(6);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 12, 4);
    int[] y = SingularSplitTest.cyclicLabels(12, 3);
    Module id = Activation.IDENTITY.create();
    NeuralCollapse.Stats s = LayerCollapse.measure(id, id, FeatureRecorder.Side.OUTPUT, x, y, 3);
    assertEquals(NeuralCollapse.of(x, y, 3), s);
  }
}
