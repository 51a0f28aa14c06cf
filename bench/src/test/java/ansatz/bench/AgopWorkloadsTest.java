package ansatz.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.Autograd;
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
import org.junit.jupiter.api.Test;

/**
 * The benchmark's AGOP computations (the instrument module's probe, called as the workloads call
 * it) against brute force with the PyTorch scripts' definitions: every sample's Jacobian row by
 * row (one scalar output at a time), in float64 on small networks.
 */
class AgopWorkloadsTest {

  @Test
  void mlpAgopsMatchPerSampleJacobians() {
    Rng rng = new Rng(7);
    Sequential model = Models.mlp(new int[] {5, 7, 6, 3}, Activation.RELU, true, rng);
    model.to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 4, 5);
    Tensor[] fast = AgopWorkloads.mlpAgops(model, x);

    int n = x.size(0);
    double[][][] brute = {new double[5][5], new double[7][7], new double[6][6]};
    for (int i = 0; i < n; i++) {
      Tensor xi = x.narrow(0, i, 1).detach().requiresGrad(true);
      Tensor h1 = model.get(1).call(model.get(0).call(xi));
      Tensor h2 = model.get(3).call(model.get(2).call(h1));
      Tensor out = model.get(4).call(h2);
      for (int c = 0; c < out.size(1); c++) {
        Tensor[] g = Autograd.grad(new Tensor[] {out.select(1, c).sum()}, new Tensor[] {xi, h1, h2}, null, true);
        for (int j = 0; j < 3; j++) addOuter(brute[j], g[j].toDoubleArray(), 1.0 / n);
      }
    }
    for (int j = 0; j < 3; j++) assertClose(brute[j], fast[j], "AGOP " + j);
  }

  @Test
  void patchAgopMatchesPerPatchGradients() {
    Rng rng = new Rng(3);
    Sequential model = new Sequential(new Conv2d(1, 2, 3, 1, 1, true, rng), new ReLU(),
        new Conv2d(2, 3, 3, 2, 1, true, rng), new ReLU(), new Flatten(), new Linear(3 * 3 * 3, 4, true, rng));
    model.to(DType.FLOAT64);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 2, 1, 5, 5);
    Tensor fast = AgopWorkloads.patchAgop(model, x);

    // Brute force: the first layer applied to im2col patches that are themselves the variables.
    Conv2d conv1 = (Conv2d) model.get(0);
    int n = x.size(0), locations = 25;
    Tensor patches = x.im2col(3, 3, 1, 1, 1).detach().requiresGrad(true); // (n, 9, 25)
    Tensor z1 = conv1.filterMatrix().matmul(patches).add(conv1.bias().tensor().reshape(1, 2, 1)).reshape(n, 2, 5, 5);
    Module rest = new Sequential(model.get(1), model.get(2), model.get(3), model.get(4), model.get(5));
    Tensor out = rest.call(z1);
    double[][] m = new double[9][9];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < out.size(1); c++) {
        Tensor g = Autograd.grad(new Tensor[] {out.select(0, i).select(0, c)},
            new Tensor[] {patches}, null, true)[0];
        Tensor gi = g.select(0, i); // (9, 25): column p is the gradient w.r.t. patch p of image i
        // torch_bench.py divides by images x positions; the probe (DEFINITIONS.md) by images.
        for (int p = 0; p < locations; p++) addOuter(m, gi.select(1, p).toDoubleArray(), 1.0 / n);
      }
    }
    assertClose(m, fast, "patch AGOP");
  }

  private static void addOuter(double[][] a, double[] v, double scale) {
    for (int r = 0; r < v.length; r++) for (int c = 0; c < v.length; c++) a[r][c] += scale * v[r] * v[c];
  }

  private static void assertClose(double[][] expected, Tensor actual, String what) {
    assertArrayEquals(new int[] {expected.length, expected.length}, actual.shape(), what + " shape");
    double scale = 0;
    for (double[] row : expected) for (double v : row) scale = Math.max(scale, Math.abs(v));
    assertTrue(scale > 0, what + ": brute force is all zeros, the test would prove nothing");
    for (int r = 0; r < expected.length; r++) {
      for (int c = 0; c < expected.length; c++) {
        assertEquals(expected[r][c], actual.get(r, c), 1e-10 * scale, what + " at (" + r + ", " + c + ")");
      }
    }
  }
}
