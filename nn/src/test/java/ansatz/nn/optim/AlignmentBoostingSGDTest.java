package ansatz.nn.optim;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Activation;
import ansatz.nn.Linear;
import ansatz.nn.Models;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.ReLU;
import ansatz.nn.Sequential;
import ansatz.nn.loss.MSELoss;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlignmentBoostingSGDTest {
  /** Linear(2,1, no bias) -> ReLU -> Linear(2,2, bias) -> ReLU -> Linear(1,1) shapes chosen for round norms. */
  private static Sequential threeLayers() {
    Rng rng = new Rng(0);
    return (Sequential) new Sequential(new Linear(2, 2, false, rng), new ReLU(), new Linear(2, 2, true, rng), new ReLU(), new Linear(2, 1, false, rng))
        .to(DType.FLOAT64);
  }

  private static void setGrad(Parameter p, double... g) {
    p.tensor().setGrad(Tensor.wrap(g, p.shape()));
  }

  @Test
  void handComputationForThreeLayers() {
    Sequential m = threeLayers();
    List<Linear> l = Models.linearLayers(m);
    Map<String, Tensor> before = m.stateDict();
    setGrad(l.get(0).weight(), 3, 0, 0, 4);        // ||.|| = 5
    setGrad(l.get(1).weight(), 1, 2, 2, 0);        // with the bias below: sqrt(1 + 4 + 4 + 16) = 5
    setGrad(l.get(1).bias(), 4, 0);
    setGrad(l.get(2).weight(), 0, 0.5);            // ||.|| = 0.5
    AlignmentBoostingSGD opt = new AlignmentBoostingSGD(m, 0.3, 1); // defaults for a non-first target: C = 5, eps = 0.1
    assertEquals(5, opt.boostFactor());
    assertEquals(0.1, opt.epsilon());
    assertEquals(List.of("0", "2", "4"), opt.layerNames());
    opt.step();
    // layer 0: W -= 0.3 * (1/5) * g / (0.1 + 5);  layer 1 (target): W -= 0.3 * 5 * g / (0.1 + 5);  layer 2: W -= 0.3 * (1/5) * g / (0.1 + 0.5)
    double s0 = 0.3 / 5 / 5.1, s1 = 0.3 * 5 / 5.1, s2 = 0.3 / 5 / 0.6;
    assertClose(before.get("0.weight").sub(Tensor.of(new double[][] {{3, 0}, {0, 4}}).mul(s0)), l.get(0).weight().tensor(), 1e-15, "layer 0");
    assertClose(before.get("2.weight").sub(Tensor.of(new double[][] {{1, 2}, {2, 0}}).mul(s1)), l.get(1).weight().tensor(), 1e-15, "layer 1 W");
    assertClose(before.get("2.bias").sub(Tensor.of(new double[] {4, 0}).mul(s1)), l.get(1).bias().tensor(), 1e-15, "layer 1 b");
    assertClose(before.get("4.weight").sub(Tensor.of(new double[][] {{0, 0.5}}).mul(s2)), l.get(2).weight().tensor(), 1e-15, "layer 2");
  }

  @Test
  void firstLayerTargetUsesC200AndEpsZero() {
    Sequential m = threeLayers();
    List<Linear> l = Models.linearLayers(m);
    Map<String, Tensor> before = m.stateDict();
    setGrad(l.get(0).weight(), 3, 0, 0, 4);
    setGrad(l.get(1).weight(), 0, 0, 0, 0);
    setGrad(l.get(1).bias(), 0, 0);                // zero gradient with eps = 0: left unchanged
    setGrad(l.get(2).weight(), 0, 2);
    AlignmentBoostingSGD opt = new AlignmentBoostingSGD(m, 0.01, 0);
    assertEquals(200, opt.boostFactor());
    assertEquals(0, opt.epsilon());
    opt.step();
    assertClose(before.get("0.weight").sub(Tensor.of(new double[][] {{3, 0}, {0, 4}}).mul(0.01 * 200 / 5)), l.get(0).weight().tensor(), 1e-15, "layer 0");
    assertClose(before.get("2.weight"), l.get(1).weight().tensor(), 0, "layer 1 untouched");
    assertClose(before.get("4.weight").sub(Tensor.of(new double[][] {{0, 2}}).mul(0.01 / 200 / 2)), l.get(2).weight().tensor(), 1e-15, "layer 2");
  }

  @Test
  void eachLayerMovesAtItsFixedSpeedAfterARealBackward() {
    Sequential m = (Sequential) Models.mlp(new int[] {5, 7, 6, 2}, Activation.TANH, false, new Rng(3)).to(DType.FLOAT64);
    Rng rng = new Rng(4);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 9, 5), y = Tensor.randn(rng, DType.FLOAT64, 9, 2);
    MSELoss.mean().apply(m.call(x), y).backward();
    Map<String, Tensor> before = m.stateDict();
    AlignmentBoostingSGD opt = new AlignmentBoostingSGD(m, 0.2, 2).eps(0);
    opt.step();
    // With eps = 0 every layer moves by exactly lr * (C or 1/C) in Frobenius norm.
    String[] names = {"0.weight", "2.weight", "4.weight"};
    double[] expected = {0.2 / 5, 0.2 / 5, 0.2 * 5};
    for (int l = 0; l < 3; l++) {
      Tensor step = before.get(names[l]).sub(m.stateDict().get(names[l]));
      assertEquals(expected[l], Math.sqrt(step.square().sum().item()), 1e-12, names[l]);
    }
  }

  @Test
  void defaultsFollowTheTargetUnlessGiven() {
    AlignmentBoostingSGD opt = new AlignmentBoostingSGD(threeLayers(), 0.1, 0);
    opt.setTarget(2);
    assertEquals(5, opt.boostFactor());
    assertEquals(0.1, opt.epsilon());
    opt.boost(10);
    opt.setTarget(0);
    assertEquals(10, opt.boostFactor());
    assertEquals(0, opt.epsilon());
    assertThrows(IllegalArgumentException.class, () -> opt.setTarget(3));
    assertThrows(IllegalArgumentException.class, () -> new AlignmentBoostingSGD(threeLayers(), 0.1, -1));
  }

  @Test
  void targetIsPartOfTheState() {
    AlignmentBoostingSGD a = new AlignmentBoostingSGD(threeLayers(), 0.1, 2);
    AlignmentBoostingSGD b = new AlignmentBoostingSGD(threeLayers(), 0.5, 0);
    b.loadState(a.state());
    assertEquals(2, b.target());
    assertEquals(0.1, b.lr());
  }

  @Test
  void parametersOutsideAnyLayerAreRejected() {
    final class Scale extends Module {
      Scale() {
        registerParameter("gain", new Parameter(Tensor.ones(1)));
      }

      @Override
      protected Tensor forward(Tensor x) {
        return x;
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AlignmentBoostingSGD(new Sequential(new Linear(2, 2, false, new Rng(0)), new Scale()), 0.1, 0));
    assertTrue(e.getMessage().contains("1 [gain]"), e.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> new AlignmentBoostingSGD(threeLayers(), LearningRate.timesCritical(1), 0));
  }
}
