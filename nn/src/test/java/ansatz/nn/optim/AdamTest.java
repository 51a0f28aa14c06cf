package ansatz.nn.optim;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.nn.Golden;
import ansatz.nn.Linear;
import ansatz.nn.Module;
import ansatz.nn.Parameter;
import ansatz.nn.Sequential;
import ansatz.nn.Tanh;
import ansatz.nn.loss.MSELoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {
  @Test
  void firstTwoStepsByHand() {
    // lr 0.1, betas (0.9, 0.999), eps 1e-8, p = 1, gradients 2 then -1:
    // 1: m = 0.2, v = 0.004; mhat = 2, vhat = 4; p = 1 - 0.1 * 2 / (2 + 1e-8)
    // 2: m = 0.18 - 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996;
    //    mhat = 0.08 / 0.19, vhat = 0.004996 / (1 - 0.999^2); p -= 0.1 * mhat / (sqrt(vhat) + 1e-8)
    Parameter p = new Parameter(Tensor.of(new double[] {1}));
    Adam opt = new Adam(List.of(p), 0.1);
    p.tensor().setGrad(Tensor.of(new double[] {2}));
    opt.step();
    double p1 = 1 - 0.1 * 2 / (2 + 1e-8);
    assertEquals(p1, p.tensor().item(), 1e-15);
    p.tensor().setGrad(Tensor.of(new double[] {-1}));
    opt.step();
    double mhat = 0.08 / (1 - 0.81), vhat = 0.004996 / (1 - 0.999 * 0.999);
    assertEquals(p1 - 0.1 * mhat / (Math.sqrt(vhat) + 1e-8), p.tensor().item(), 1e-14);
  }

  @Test
  void aParameterWithoutGradientIsSkippedAndKeepsItsOwnStepCount() {
    Parameter a = new Parameter(Tensor.of(new double[] {1})), b = new Parameter(Tensor.of(new double[] {1}));
    Adam opt = new Adam(List.of(a, b), 0.1);
    a.tensor().setGrad(Tensor.of(new double[] {1}));
    opt.step();
    assertEquals(1.0, b.tensor().item());
    assertNull(opt.firstMoment(1));
    // b's first step: bias corrections of step 1, so the move is lr * sign(g) (up to eps)
    b.tensor().setGrad(Tensor.of(new double[] {-3}));
    a.tensor().setGrad(null);
    opt.step();
    assertEquals(1.1, b.tensor().item(), 1e-9);
  }

  private static final Golden GOLDEN = Golden.load("/golden/adam_golden.txt");

  private static Module goldenModel() {
    Module m = new Sequential(new Linear(4, 3, true, new Rng(0)), new Tanh(), new Linear(3, 2, false, new Rng(1))).to(DType.FLOAT64);
    Map<String, Tensor> init = new LinkedHashMap<>();
    for (String k : m.stateDict().keySet()) init.put(k, GOLDEN.get("init." + k));
    m.loadStateDict(init, true);
    return m;
  }

  private static void replay(String config, Adam opt, Module m, int from, int to) {
    for (int step = from; step < to; step++) {
      String s = config + ".step" + step;
      opt.zeroGrad();
      Tensor loss = MSELoss.mean().apply(m.call(GOLDEN.get("batch" + step + ".x")), GOLDEN.get("batch" + step + ".y"));
      loss.backward();
      assertClose(GOLDEN.get(s + ".loss"), loss, 1e-12, s + " loss");
      opt.step();
      for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
        assertClose(GOLDEN.get(s + ".after." + p.getKey()), p.getValue().tensor(), 1e-12, s + " " + p.getKey());
      }
    }
  }

  @Test
  void matchesTorchOptimAdamOverSixSteps() {
    Module a = goldenModel();
    replay("default", new Adam(a.parameters(), 0.01), a, 0, 6);
    Module b = goldenModel();
    replay("betas_wd", new Adam(b.parameters(), 0.05).betas(0.8, 0.95).eps(1e-6).weightDecay(0.1), b, 0, 6);
  }

  @Test
  void stateRoundTripContinuesLikeTorch() {
    Module a = goldenModel();
    Adam first = new Adam(a.parameters(), 0.01);
    replay("default", first, a, 0, 3);
    Map<String, Tensor> state = first.state();
    assertTrue(state.containsKey("param.0.exp_avg") && state.containsKey("param.2.exp_avg_sq") && state.containsKey("param.1.step"), state.keySet().toString());
    assertArrayEquals(new double[] {3}, state.get("param.0.step").toDoubleArray());
    Module b = goldenModel();
    b.loadStateDict(a.stateDict());
    Adam second = new Adam(b.parameters(), 0.01);
    second.loadState(state);
    replay("default", second, b, 3, 6); // continues on torch's trajectory only if m, v and t were restored
  }

  @Test
  void badSettingsAreRejectedWithTheirValue() {
    Adam opt = new Adam(List.of(new Parameter(Tensor.of(new double[] {1}))), 0.1);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.betas(1, 0.9)).getMessage().contains("betas"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.eps(0)).getMessage().contains("eps"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.weightDecay(-1)).getMessage().contains("weight decay"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.loadState(Map.of("param.0.exp_avg", Tensor.of(new double[] {1}))))
        .getMessage().contains("together"));
  }
}
