package ansatz.docs.tutorial;

import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.CatapultDetector;
import ansatz.instrument.ntk.CriticalRate;
import ansatz.instrument.ntk.EmpiricalNtk;
import ansatz.nn.Activation;
import ansatz.nn.Models;
import ansatz.nn.Sequential;
import ansatz.nn.data.Dataset;
import ansatz.nn.data.Synthetic;
import ansatz.nn.loss.MSELoss;
import ansatz.nn.optim.SGD;
import java.util.List;

/** Samples of docs/tutorial/07-catapult.md; see CatapultTest. */
final class Catapult {
  private Catapult() {}

  /** One run: the loss at every step, lambda_max of the NTK at the start and the end, the catapults seen. */
  record Run(double lr, double[] losses, double lambdaStart, double lambdaEnd, List<CatapultDetector.Event> catapults) {}

  /** Both runs of the page: below and above the critical rate. */
  record Both(double lambda0, Run lazy, Run catapult) {}

  static Both catapult() {
    // region setup
    Dataset train = Synthetic.builder("x1x2").d(10).n(64).nTest(0).seed(0).build().train();
    // Two-layer ReLU network in the NTK parameterization: N(0, 1) weights, each layer divides by sqrt(fan_in).
    Sequential probe = Models.ntkMlp(new int[] {10, 512, 1}, Activation.RELU, false, new Rng(7));
    double lambda0 = CriticalRate.measure(probe, train.inputs()).lambdaMax();   // lambda_max(J J^T / n) at init
    System.out.printf("lambda_0 = %.3f, critical rate 2/lambda_0 = %.3f%n", lambda0, 2 / lambda0);
    // endregion setup
    Run lazy = gradientDescent(train, 0.5 * 2 / lambda0);
    Run catapult = gradientDescent(train, 1.5 * 2 / lambda0);
    // region compare
    System.out.println("step   loss at 0.5 x 2/lambda_0   loss at 1.5 x 2/lambda_0");
    for (int step = 0; step <= 14; step++) {
      System.out.printf("%4d   %22.3f   %22.3f%n", step, lazy.losses()[step], catapult.losses()[step]);
    }
    for (Run r : List.of(lazy, catapult)) {
      System.out.printf("eta = %.3f: final loss %.4f, lambda_max %.3f -> %.3f, 2/eta = %.3f, catapults: %d%n", r.lr(),
          r.losses()[r.losses().length - 1], r.lambdaStart(), r.lambdaEnd(), 2 / r.lr(), r.catapults().size());
    }
    // endregion compare
    return new Both(lambda0, lazy, catapult);
  }

  // region gradientDescent
  /** Full-batch gradient descent on (1/2n) sum_i (f(x_i) - y_i)^2 from the same initialization. */
  static Run gradientDescent(Dataset train, double lr) {
    Sequential net = Models.ntkMlp(new int[] {10, 512, 1}, Activation.RELU, false, new Rng(7));
    Tensor x = train.inputs(), y = train.targets();
    MSELoss loss = MSELoss.halfSumOverBatch();                   // the loss the 2/lambda_0 threshold is for
    SGD gd = new SGD(net.parameters(), lr);                      // one batch of all n points: plain GD
    CatapultDetector detector = new CatapultDetector();          // spike: loss > 2x its running minimum
    double lambdaStart = lambdaMax(net, x);
    double[] losses = new double[100];
    for (int step = 0; step < losses.length; step++) {
      Tensor l = loss.apply(net.call(x), y);
      gd.zeroGrad();
      l.backward();
      gd.step();
      losses[step] = l.item();
      detector.observe(step, losses[step]);
    }
    return new Run(lr, losses, lambdaStart, lambdaMax(net, x), detector.events());
  }

  static double lambdaMax(Sequential net, Tensor x) {
    try (Grad.Scope off = Grad.disabled()) {
      return EmpiricalNtk.compute(net, x).lambdaMax();            // top eigenvalue of J J^T / n
    }
  }
  // endregion gradientDescent
}
