package ansatz.instrument.ntk;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.CatapultDetector;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.loss.MSELoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end on the catapult claim (DEFINITIONS.md section 7, claim 8) at toy size: a two-layer ReLU
 * network in NTK parameterization, full-batch GD on the (1/2n) sum loss. Below 2/lambda_0 the loss
 * falls without a spike; between 2/lambda_0 and about 4/lambda_0 it spikes once, lambda_max drops
 * below 2/eta, and the loss then converges.
 */
class CatapultDynamicsTest {
  /** Loss per step and lambda_max at the first and last step (NaN between) of one run. */
  record Run(double[] loss, double[] lambda, List<CatapultDetector.Event> events, double eta, double lambda0) {}

  static Run train(double multiple, int steps) {
    Rng rng = new Rng(2024);
    int n = 24, d = 4, width = 512;
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d);
    Tensor y = x.narrow(1, 0, 1).mul(x.narrow(1, 1, 1)); // f*(x) = x_1 x_2
    Module net = Models.ntkMlp(new int[] {d, width, 1}, Activation.RELU, false, rng).to(DType.FLOAT64);
    CriticalRate rate = CriticalRate.measure(net, x);
    double eta = rate.times(multiple);
    MSELoss loss = MSELoss.halfSumOverBatch();
    CatapultDetector detector = new CatapultDetector();
    double[] losses = new double[steps], lambdas = new double[steps];
    for (int t = 0; t < steps; t++) {
      // lambda_max only where the test looks (first and last step): keeps the test fast
      double lambda = t == 0 || t == steps - 1 ? EmpiricalNtk.compute(net, x).lambdaMax() : Double.NaN;
      net.zeroGrad();
      Tensor l = loss.apply(net.call(x), y);
      l.backward();
      losses[t] = l.item();
      lambdas[t] = lambda;
      detector.observe(t, losses[t], lambda);
      try (var off = Grad.disabled()) {
        for (Parameter p : net.parameters()) p.tensor().addInPlace(p.grad(), -eta);
      }
    }
    return new Run(losses, lambdas, detector.events(), eta, rate.lambdaMax());
  }

  @Test
  void divergesWellAboveTheCriticalRate() {
    // eta = 2 x 2/lambda_0 = 4/lambda_0: the loss blows up; lambda_max of the overflowed net is NaN, not an exception
    Run div = train(2.0, 20);
    assertTrue(!(div.loss()[19] < 1e6), "diverged: " + div.loss()[19]);
  }

  @Test
  void spikeOnlyAboveTheCriticalRate() {
    Run lazy = train(0.5, 40);
    assertTrue(lazy.events().isEmpty(), "no catapult below 2/lambda_0: " + lazy.events());
    for (int t = 1; t < lazy.loss().length; t++) assertTrue(lazy.loss()[t] <= lazy.loss()[t - 1] * (1 + 1e-9), "monotone at step " + t);

    Run cat = train(1.5, 40);
    assertFalse(cat.events().isEmpty(), "a catapult between 2/lambda_0 and 4/lambda_0");
    CatapultDetector.Event e = cat.events().get(0);
    assertTrue(e.peakLoss() > 10 * cat.loss()[0], "spike 10x above the initial loss: " + e.peakLoss() + " vs " + cat.loss()[0]);
    double last = cat.lambda()[cat.lambda().length - 1];
    assertTrue(last < 2 / cat.eta(), "lambda_max " + last + " ends below 2/eta = " + 2 / cat.eta());
    assertTrue(cat.lambda0() > 2 / cat.eta(), "and started above it");
    assertTrue(cat.loss()[cat.loss().length - 1] < cat.loss()[0], "loss converges after the spike");
  }
}
