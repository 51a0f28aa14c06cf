package ansatz.instrument.collapse;


import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Linear;
import ansatz.nn.Parameterization;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.metrics.NeuralCollapse;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;

class SingularSplitTest {
  /** Labels 0..K-1 repeated, so every class is present. */
  static int[] cyclicLabels(int n, int k) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = i % k;
    return y;
  }

  /**
   * Inputs in R^3: class c sits at 4 (cos, sin)(2 pi c / 3) in the first two coordinates, and all
   * within-class noise lives in the third. W = R diag(2, 1) [e1; e2] (R a rotation) keeps the first
   * two coordinates: its right structure S V^T removes the noise (NC1 = 0 exactly), while X itself
   * is not collapsed. Because U = R is orthogonal, the whole layer without a nonlinearity has the
   * right structure's NC1.
   */
  @Test
  void rightStructureRemovesNoiseOutsideTheRowSpace() {
    int k = 3, n = 30;
    Rng rng = new Rng(12);
    double[][] x = new double[n][3];
    int[] y = cyclicLabels(n, k);
    for (int i = 0; i < n; i++) {
      double a = 2 * Math.PI * y[i] / k;
      x[i][0] = 4 * Math.cos(a);
      x[i][1] = 4 * Math.sin(a);
      x[i][2] = rng.nextGaussian();
    }
    Linear layer = new Linear(3, 2, false, null, Parameterization.STANDARD, rng);
    layer.to(DType.FLOAT64);
    double t = 0.7;
    try (var off = Grad.disabled()) {
      layer.weight().tensor().copyFrom(Tensor.of(new double[][] {
          {2 * Math.cos(t), -Math.sin(t), 0},
          {2 * Math.sin(t), Math.cos(t), 0}}));
    }
    Tensor xs = Tensor.of(x);
    SingularSplit split = SingularSplit.of(layer, Activation.IDENTITY.create(), xs, y, k);
    assertArrayEquals(new double[] {2, 1}, split.singularValues(), 1e-12);
    assertEquals(0, split.rightStructure().nc1(), 1e-12);
    assertTrue(split.input().nc1() > 0.01, "input nc1 " + split.input().nc1());
    // the input's NC1 is the noise variance over the between-class trace 16 (means on a circle of radius 4)
    double noise = 0;
    double[] mean3 = new double[k];
    int[] cnt = new int[k];
    for (int i = 0; i < n; i++) {
      mean3[y[i]] += x[i][2];
      cnt[y[i]]++;
    }
    for (int c = 0; c < k; c++) mean3[c] /= cnt[c];
    for (int i = 0; i < n; i++) noise += Math.pow(x[i][2] - mean3[y[i]], 2) / n;
    double between = 16 + 0;
    double meanOfMeans = (mean3[0] + mean3[1] + mean3[2]) / 3;
    for (int c = 0; c < k; c++) between += Math.pow(mean3[c] - meanOfMeans, 2) / k;
    assertEquals(noise / between, split.input().nc1(), 1e-12);
    // U orthogonal: linear whole layer has the right structure's collapse
    assertEquals(split.rightStructure().nc1(), split.wholeLayer().nc1(), 1e-12);
    assertEquals(split.rightStructure().nc2(), split.wholeLayer().nc2(), 1e-12);
    // with a ReLU the next activation differs but is still collapsed (no noise reaches it)
    SingularSplit relu = SingularSplit.of(layer, new ReLU(), xs, y, k);
    assertEquals(0, relu.wholeLayer().nc1(), 1e-12);
  }

  @Test
  void measureCapturesTheLayerInputInsideAModel() {
    Rng rng = new Rng(3);
    Linear first = new Linear(4, 6, true, rng), second = new Linear(6, 3, true, null, Parameterization.NTK, rng);
    Sequential net = new Sequential(first, new ReLU(), second);
    net.to(DType.FLOAT64);
    Tensor inputs = Tensor.randn(rng, DType.FLOAT64, 15, 4);
    int[] y = cyclicLabels(15, 3);
    SingularSplit viaModel = SingularSplit.measure(net, second, new ReLU(), inputs, y, 3);
    Tensor h = new ReLU().call(first.call(inputs)).detach();
    SingularSplit direct = SingularSplit.of(second, new ReLU(), h, y, 3);
    assertEquals(direct.input(), viaModel.input());
    assertEquals(direct.rightStructure(), viaModel.rightStructure());
    assertEquals(direct.wholeLayer(), viaModel.wholeLayer());
    assertEquals(3, viaModel.singularValues().length);
    // the NTK scale is part of the effective spectrum: sum of s^2 = ||W||_F^2 / in
    double sumSq = 0;
    for (double s : viaModel.singularValues()) sumSq += s * s;
    assertEquals(second.weight().tensor().square().sum().item() / 6, sumSq, 1e-12);
    for (int j = 1; j < 3; j++) assertTrue(viaModel.singularValues()[j] <= viaModel.singularValues()[j - 1]);
  }

  @Test
  void wrongInputWidthIsNamed() {
    Linear layer = new Linear(3, 2, false, new Rng(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SingularSplit.of(layer, new ReLU(), Tensor.zeros(4, 5), new int[] {0, 1, 0, 1}, 2));
    assertTrue(e.getMessage().contains("[4, 5]"), e.getMessage());
  }
}
