package ansatz.instrument.ntk;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Parameterization;
import ansatz.nn.Sequential;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.LearningRate;
import org.junit.jupiter.api.Test;

class CriticalRateTest {
  /**
   * f(x) = a^T W x / sqrt(m d) (two-layer linear net, NTK parameterization, no bias). Then
   * J J^T = X (W^T W + ||a||^2 I) X^T / (m d). With the inputs x_i = e_i (n = d), Theta =
   * (W^T W + ||a||^2 I) / (n m d), so lambda_max = (sigma_max(W)^2 + ||a||^2) / (n m d).
   * Here W = [[3,0],[0,1],[0,0]] (sigma_max = 3) and a = (1, 2, 2) (||a||^2 = 9):
   * lambda = 18 / (2 * 3 * 2) = 1.5, eta_crit = 2/1.5 = 4/3 (half-sum loss), 1/1.5 (mean without 1/2).
   */
  @Test
  void twoLayerLinearNetMatchesClosedForm() {
    Sequential net = Models.mlp(new int[] {2, 3, 1}, Activation.IDENTITY, false, null, Parameterization.NTK, new Rng(1));
    net.to(DType.FLOAT64);
    Linear first = (Linear) net.get(0), second = (Linear) net.get(2);
    try (var off = Grad.disabled()) {
      first.weight().tensor().copyFrom(Tensor.of(new double[][] {{3, 0}, {0, 1}, {0, 0}}));
      second.weight().tensor().copyFrom(Tensor.of(new double[][] {{1, 2, 2}}));
    }
    CriticalRate rate = CriticalRate.measure(net, Tensor.eye(2, DType.FLOAT64));
    assertEquals(1.5, rate.lambdaMax(), 1e-12);
    assertEquals(4.0 / 3, rate.forHalfSumLoss(), 1e-12);
    assertEquals(1 / 1.5, rate.forMeanLossWithoutHalf(), 1e-12);
    assertEquals(2, rate.probeSamples());
    assertEquals(1, rate.outputs());
    // the trainer's "1.5x" is 1.5 * 2/lambda_0, as LearningRate resolves it
    assertEquals(LearningRate.timesCritical(1.5).resolve(rate.lambdaMax()), rate.times(1.5), 1e-15);
  }

  /** The same net with random weights and inputs: lambda_max of X (W^T W + ||a||^2 I) X^T / (n m d). */
  @Test
  void twoLayerLinearNetMatchesKernelFormulaForRandomInputs() {
    Rng rng = new Rng(3);
    int d = 4, m = 7, n = 9;
    Sequential net = Models.mlp(new int[] {d, m, 1}, Activation.IDENTITY, false, null, Parameterization.NTK, rng);
    net.to(DType.FLOAT64);
    Tensor w = ((Linear) net.get(0)).weight().tensor().detach(), a = ((Linear) net.get(2)).weight().tensor().detach();
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d);
    double a2 = a.square().sum().item();
    Tensor mMat = w.t().matmul(w).add(Tensor.eye(d, DType.FLOAT64).mul(a2));
    Tensor kernel = x.matmul(mMat).matmul(x.t()).div((double) n * m * d);
    double[] ev = ansatz.instrument.math.Matrices.symmetricEigen(kernel).values();
    assertEquals(ev[n - 1], CriticalRate.measure(net, x).lambdaMax(), 1e-12 * ev[n - 1]);
  }

  @Test
  void ratesForEachMseReduction() {
    CriticalRate r = new CriticalRate(4, 10, 3);
    assertEquals(0.5, r.forLoss(MSELoss.halfSumOverBatch(), 32), 0);
    assertEquals(0.75, r.forLoss(MSELoss.mean(), 32), 0);
    assertEquals(1.0 / 128, r.forLoss(MSELoss.sum(), 32), 0);
    assertEquals(0.25, r.forMeanLossWithoutHalf(), 0);
    assertThrows(IllegalArgumentException.class, () -> new CriticalRate(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new CriticalRate(Double.NaN, 1, 1));
  }

  /**
   * The rate is critical in fact: full-batch GD on the (1/2n) sum loss of a linear model (whose
   * NTK is constant) converges just below 2/lambda and diverges just above.
   */
  @Test
  void gradientDescentOnALinearModelSwitchesAtTheCriticalRate() {
    Rng rng = new Rng(8);
    int n = 12, d = 5;
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d), y = Tensor.randn(rng, DType.FLOAT64, n, 1);
    Linear model = new Linear(d, 1, true, rng);
    model.to(DType.FLOAT64);
    CriticalRate rate = CriticalRate.measure(model, x);
    var state = model.stateDict();
    assertTrue(finalLoss(model, x, y, 0.98 * rate.forHalfSumLoss()) < 10, "should converge below the critical rate");
    model.loadStateDict(state);
    assertTrue(finalLoss(model, x, y, 1.02 * rate.forHalfSumLoss()) > 1e3, "should diverge above the critical rate");
  }

  private static double finalLoss(Linear model, Tensor x, Tensor y, double lr) {
    MSELoss loss = MSELoss.halfSumOverBatch();
    double last = 0;
    for (int step = 0; step < 800; step++) {
      model.zeroGrad();
      Tensor l = loss.apply(model.call(x), y);
      l.backward();
      last = l.item();
      try (var off = Grad.disabled()) {
        model.weight().tensor().addInPlace(model.weight().grad(), -lr);
        model.bias().tensor().addInPlace(model.bias().grad(), -lr);
      }
    }
    return last;
  }
}
