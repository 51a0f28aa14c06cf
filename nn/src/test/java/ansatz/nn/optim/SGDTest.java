package ansatz.nn.optim;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.*;

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

class SGDTest {
  private static final double[] GRADS = {1, 2, -1};

  /** Runs three steps on the scalar parameter p = 1 with the fixed gradients 1, 2, -1. */
  private static double[] threeSteps(java.util.function.Function<List<Parameter>, SGD> make) {
    Parameter p = new Parameter(Tensor.of(new double[] {1}));
    SGD opt = make.apply(List.of(p));
    double[] out = new double[3];
    for (int k = 0; k < 3; k++) {
      p.tensor().setGrad(Tensor.of(new double[] {GRADS[k]}));
      opt.step();
      out[k] = p.tensor().item();
    }
    return out;
  }

  @Test
  void nesterovWithWeightDecayByHand() {
    // lr 0.1, m 0.9, wd 0.1:
    // 1: d = 1 + 0.1 = 1.1;           buf = 1.1;                      d = 1.1 + 0.99 = 2.09;            p = 0.791
    // 2: d = 2 + 0.0791 = 2.0791;     buf = 0.99 + 2.0791 = 3.0691;   d = 2.0791 + 2.76219 = 4.84129;   p = 0.306871
    // 3: d = -1 + 0.0306871;          buf = 2.76219 - 0.9693129 = 1.7928771; d = 0.64427649;            p = 0.242443351
    double[] p = threeSteps(ps -> new SGD(ps, 0.1).momentum(0.9).nesterov(true).weightDecay(0.1));
    assertArrayEquals(new double[] {0.791, 0.306871, 0.242443351}, p, 1e-14);
  }

  @Test
  void momentumWithWeightDecayByHand() {
    // 1: buf = 1.1, p = 0.89; 2: buf = 0.99 + 2.089 = 3.079, p = 0.5821; 3: buf = 2.7711 - 0.94179 = 1.82931, p = 0.399169
    double[] p = threeSteps(ps -> new SGD(ps, 0.1).momentum(0.9).weightDecay(0.1));
    assertArrayEquals(new double[] {0.89, 0.5821, 0.399169}, p, 1e-14);
  }

  @Test
  void dampeningByHand() {
    // m 0.9, dampening 0.5: 1: buf = 1 (no dampening on the first step), p = 0.9; 2: buf = 0.9 + 1 = 1.9, p = 0.71;
    // 3: buf = 1.71 - 0.5 = 1.21, p = 0.589
    double[] p = threeSteps(ps -> new SGD(ps, 0.1).momentum(0.9).dampening(0.5));
    assertArrayEquals(new double[] {0.9, 0.71, 0.589}, p, 1e-14);
  }

  @Test
  void plainWeightDecayByHand() {
    // 1: p = 1 - 0.1 * 1.1 = 0.89; 2: p = 0.89 - 0.1 * 2.089 = 0.6811; 3: p = 0.6811 - 0.1 * (-1 + 0.06811) = 0.774289
    double[] p = threeSteps(ps -> new SGD(ps, 0.1).weightDecay(0.1));
    assertArrayEquals(new double[] {0.89, 0.6811, 0.774289}, p, 1e-14);
  }

  private static final Golden GOLDEN = Golden.load("/golden/nn_golden.txt");

  private static Module goldenModel() {
    Rng rng = new Rng(0);
    Module m = new Sequential(new Linear(4, 3, true, rng), new Tanh(), new Linear(3, 2, false, rng)).to(DType.FLOAT64);
    Map<String, Tensor> init = new LinkedHashMap<>();
    for (String k : m.stateDict().keySet()) init.put(k, GOLDEN.get("init." + k));
    m.loadStateDict(init, true);
    return m;
  }

  private static void replay(String config, SGD opt, Module m) {
    for (int step = 0; step < 5; step++) {
      String s = config + ".step" + step;
      opt.zeroGrad();
      Tensor loss = MSELoss.mean().apply(m.call(GOLDEN.get("batch" + step + ".x")), GOLDEN.get("batch" + step + ".y"));
      loss.backward();
      assertClose(GOLDEN.get(s + ".loss"), loss, 1e-12, s + " loss");
      for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) assertClose(GOLDEN.get(s + ".grad." + p.getKey()), p.getValue().grad(), 1e-12, s + " grad " + p.getKey());
      opt.step();
      for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) assertClose(GOLDEN.get(s + ".after." + p.getKey()), p.getValue().tensor(), 1e-12, s + " " + p.getKey());
    }
  }

  @Test
  void matchesTorchOptimSgdOverFiveSteps() {
    Module a = goldenModel();
    replay("nesterov", new SGD(a.parameters(), 0.1).momentum(0.9).nesterov(true).weightDecay(0.01), a);
    Module b = goldenModel();
    replay("momentum_damp", new SGD(b.parameters(), 0.05).momentum(0.5).dampening(0.3).weightDecay(0.1), b);
    Module c = goldenModel();
    replay("plain_wd", new SGD(c.parameters(), 0.2).weightDecay(0.05), c);
  }

  @Test
  void stateRoundTripContinuesIdentically() {
    Module a = goldenModel(), b = goldenModel();
    SGD optA = new SGD(a.parameters(), 0.1).momentum(0.9).nesterov(true);
    SGD optB = new SGD(b.parameters(), 0.1).momentum(0.9).nesterov(true);
    Tensor x = GOLDEN.get("batch0.x"), y = GOLDEN.get("batch0.y");
    for (int i = 0; i < 2; i++) {
      optA.zeroGrad();
      MSELoss.mean().apply(a.call(x), y).backward();
      optA.step();
    }
    Map<String, Tensor> state = optA.state();
    assertEquals(List.of("group.0.lr", "param.0.momentum_buffer", "param.1.momentum_buffer", "param.2.momentum_buffer"), List.copyOf(state.keySet()));
    assertNotSame(optA.momentumBuffer(0), state.get("param.0.momentum_buffer"));
    optA.setLr(0.05);
    b.loadStateDict(a.stateDict());
    optB.loadState(optA.state());
    assertEquals(0.05, optB.lr());
    for (int i = 0; i < 3; i++) {
      for (var pair : List.of(List.of(a, optA), List.of(b, optB))) {
        SGD o = (SGD) pair.get(1);
        o.zeroGrad();
        MSELoss.mean().apply(((Module) pair.get(0)).call(x), y).backward();
        o.step();
      }
    }
    for (String k : a.stateDict().keySet()) assertClose(a.stateDict().get(k), b.stateDict().get(k), 0, k);
    Map<String, Tensor> junk = new LinkedHashMap<>(state);
    junk.put("param.9.momentum_buffer", Tensor.zeros(1));
    assertThrows(IllegalArgumentException.class, () -> optB.loadState(junk));
    Map<String, Tensor> wrongShape = new LinkedHashMap<>(state);
    wrongShape.put("param.0.momentum_buffer", Tensor.zeros(DType.FLOAT64, 4, 3));
    assertThrows(IllegalArgumentException.class, () -> optB.loadState(wrongShape));
  }

  @Test
  void momentumBuffersAreAllocatedOnceAndUpdatedInPlace() {
    Module m = goldenModel();
    SGD opt = new SGD(m.parameters(), 0.1).momentum(0.9);
    Tensor w = m.parameters().get(0).tensor();
    Tensor x = GOLDEN.get("batch0.x"), y = GOLDEN.get("batch0.y");
    Tensor buf = null;
    for (int i = 0; i < 3; i++) {
      opt.zeroGrad();
      MSELoss.mean().apply(m.call(x), y).backward();
      opt.step();
      if (buf == null) buf = opt.momentumBuffer(0);
      assertSame(buf, opt.momentumBuffer(0));
      assertSame(w, m.parameters().get(0).tensor(), "parameters are updated in place");
    }
  }

  @Test
  void parametersWithoutGradientAreSkipped() {
    Parameter p = new Parameter(Tensor.of(new double[] {1, 2})), q = new Parameter(Tensor.of(new double[] {3}));
    SGD opt = new SGD(List.of(p, q), 0.5).momentum(0.9).weightDecay(0.1);
    q.tensor().setGrad(Tensor.of(new double[] {1}));
    opt.step();
    assertArrayEquals(new double[] {1, 2}, p.tensor().toDoubleArray());
    assertNull(opt.momentumBuffer(0));
    assertEquals(3 - 0.5 * (1 + 0.3), q.tensor().item(), 1e-15);
  }

  @Test
  void worksInFloat32() {
    Parameter p = new Parameter(Tensor.of(new float[] {1, -1}));
    SGD opt = new SGD(List.of(p), 0.1).momentum(0.9).nesterov(true);
    p.tensor().setGrad(Tensor.of(new float[] {1, 1}));
    opt.step();
    assertArrayEquals(new float[] {0.81f, -1.19f}, p.tensor().toFloatArray(), 1e-6f);
  }

  @Test
  void invalidSettingsAreRejected() {
    Parameter p = new Parameter(Tensor.of(new double[] {1}));
    p.tensor().setGrad(Tensor.of(new double[] {1}));
    SGD nesterovWithoutMomentum = new SGD(List.of(p), 0.1).nesterov(true);
    assertTrue(assertThrows(IllegalStateException.class, nesterovWithoutMomentum::step).getMessage().contains("Nesterov"));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -1));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p, p), 0.1));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1).momentum(-0.1));
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> new SGD(List.of(p), LearningRate.timesCritical(1.5)));
    assertTrue(e.getMessage().contains("needs the NTK lambda estimator from the instrument module"), e.getMessage());
    assertEquals(0.1, new SGD(List.of(p), LearningRate.of(0.1)).lr());
    assertEquals(1.5 * 2 / 4.0, LearningRate.timesCritical(1.5).resolve(4.0), 1e-15);
  }

  @Test
  void paramGroupsHaveTheirOwnRates() {
    Parameter p = new Parameter(Tensor.of(new double[] {1})), q = new Parameter(Tensor.of(new double[] {1}));
    SGD opt = new SGD(List.of(new ParamGroup("a", List.of(p), 0.1), new ParamGroup("b", List.of(q), 0.01)));
    p.tensor().setGrad(Tensor.of(new double[] {1}));
    q.tensor().setGrad(Tensor.of(new double[] {1}));
    opt.step();
    assertEquals(0.9, p.tensor().item(), 1e-15);
    assertEquals(0.99, q.tensor().item(), 1e-15);
  }
}
