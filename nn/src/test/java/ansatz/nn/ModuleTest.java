package ansatz.nn;

import static ansatz.nn.TestUtil.assertClose;
import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
  /** Sequential(Linear(3,4,bias), ReLU, Sequential(Linear(4,2,no bias))) */
  private static Sequential nested(long seed) {
    Rng rng = new Rng(seed);
    return new Sequential(new Linear(3, 4, true, rng), new ReLU(), new Sequential(new Linear(4, 2, false, rng)));
  }

  @Test
  void parametersHaveDottedNamesInRegistrationOrder() {
    Sequential m = nested(1);
    assertEquals(List.of("0.weight", "0.bias", "2.0.weight"), List.copyOf(m.namedParameters().keySet()));
    assertEquals(List.of("", "0", "1", "2", "2.0"), List.copyOf(m.namedModules().keySet()));
    assertEquals(3, m.children().size());
    assertEquals(3, m.parameters().size());
    assertEquals(3 * 4 + 4 + 4 * 2, m.parameterCount());
    Linear first = (Linear) m.get(0);
    assertSame(first.weight(), m.namedParameters().get("0.weight"));
    assertTrue(m.parameters().stream().allMatch(p -> p.tensor().requiresGrad() && p.tensor().isLeaf()));
  }

  @Test
  void sharedModulesAndParametersAreListedOnce() {
    Linear shared = new Linear(2, 2, true, new Rng(3));
    Sequential m = new Sequential(shared, new Tanh(), shared);
    assertEquals(List.of("0.weight", "0.bias"), List.copyOf(m.namedParameters().keySet()));
    assertEquals(List.of("", "0", "1"), List.copyOf(m.namedModules().keySet()));
  }

  @Test
  void badNamesAndCyclesAreRejected() {
    Sequential m = new Sequential();
    Module leaf = new Identity();
    assertThrows(IllegalArgumentException.class, () -> m.registerModule("a.b", leaf));
    assertThrows(IllegalArgumentException.class, () -> m.registerModule("", leaf));
    m.registerModule("x", leaf);
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> m.registerParameter("x", new Parameter(Tensor.zeros(1))));
    assertTrue(dup.getMessage().contains("already registered"), dup.getMessage());
    Sequential outer = new Sequential(m);
    IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> m.registerModule("loop", outer));
    assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
  }

  @Test
  void parameterMustBeALeaf() {
    Tensor w = Tensor.ones(2).requiresGrad(true);
    assertThrows(IllegalArgumentException.class, () -> new Parameter(w.mul(2)));
  }

  @Test
  void trainAndEvalReachEveryModule() {
    Sequential m = nested(1);
    assertTrue(m.isTraining());
    m.eval();
    for (Module sub : m.namedModules().values()) assertFalse(sub.isTraining());
    m.train();
    for (Module sub : m.namedModules().values()) assertTrue(sub.isTraining());
  }

  @Test
  void zeroGradClearsEveryGradient() {
    Sequential m = nested(1);
    m.call(Tensor.ones(2, 3)).sum().backward();
    assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
    m.zeroGrad();
    assertTrue(m.parameters().stream().allMatch(p -> p.grad() == null));
  }

  @Test
  void stateDictHoldsIndependentCopies() {
    Sequential m = nested(1);
    Map<String, Tensor> s = m.stateDict();
    assertEquals(List.of("0.weight", "0.bias", "2.0.weight"), List.copyOf(s.keySet()));
    Tensor w = ((Linear) m.get(0)).weight().tensor();
    assertClose(w, s.get("0.weight"), 0, "copy");
    assertNotSame(w.storage(), s.get("0.weight").storage());
    assertFalse(s.get("0.weight").requiresGrad());
    s.get("0.weight").fill(42);
    assertNotEquals(42, w.get(0, 0));
  }

  @Test
  void stateDictRoundTripReproducesTheModel() {
    Sequential a = nested(1), b = nested(2);
    Tensor x = Tensor.randn(new Rng(9), 5, 3);
    assertNotEquals(a.call(x).get(0, 0), b.call(x).get(0, 0));
    Module.LoadResult r = b.loadStateDict(a.stateDict(), true);
    assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
    assertClose(a.call(x), b.call(x), 0, "outputs after load");
    // The loaded parameters still train: gradients reach them.
    b.call(x).sum().backward();
    assertNotNull(((Linear) b.get(0)).weight().grad());
  }

  @Test
  void strictLoadListsEveryProblemAndChangesNothing() {
    Sequential m = nested(1);
    Map<String, Tensor> before = m.stateDict();
    Map<String, Tensor> bad = new LinkedHashMap<>(nested(2).stateDict());
    bad.remove("0.bias");
    bad.put("extra.weight", Tensor.zeros(1));
    bad.put("0.weight", Tensor.zeros(4, 4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(bad, true));
    String msg = e.getMessage();
    assertTrue(msg.contains("missing keys: [0.bias]"), msg);
    assertTrue(msg.contains("unexpected keys: [extra.weight]"), msg);
    assertTrue(msg.contains("'0.weight'") && msg.contains("[4, 4]") && msg.contains("[4, 3]"), msg);
    for (Map.Entry<String, Tensor> kv : m.stateDict().entrySet()) assertClose(before.get(kv.getKey()), kv.getValue(), 0, kv.getKey());
  }

  @Test
  void nonStrictLoadSkipsUnknownKeysButNotShapeMismatches() {
    Sequential m = nested(1);
    Map<String, Tensor> partial = new LinkedHashMap<>();
    Tensor newBias = Tensor.of(1f, 2f, 3f, 4f);
    partial.put("0.bias", newBias);
    partial.put("junk", Tensor.zeros(2));
    Module.LoadResult r = m.loadStateDict(partial, false);
    assertEquals(List.of("0.weight", "2.0.weight"), r.missingKeys());
    assertEquals(List.of("junk"), r.unexpectedKeys());
    assertClose(newBias, ((Linear) m.get(0)).bias().tensor(), 0, "bias loaded");
    partial.put("0.bias", Tensor.zeros(5));
    assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(partial, false));
  }

  @Test
  void toStringFollowsPyTorchLayout() {
    Sequential m = Models.mlp(new int[] {784, 1024, 10}, Activation.RELU, false, new Rng(0));
    assertEquals("Sequential(\n  (0): Linear(in=784, out=1024, bias=false)\n  (1): ReLU()\n  (2): Linear(in=1024, out=10, bias=false)\n)", m.toString());
    Sequential nested = new Sequential(new Flatten(), new Sequential(Linear.ntk(2, 3, true, new Rng(1)), new LeakyReLU(0.2)));
    assertEquals("Sequential(\n"
        + "  (0): Flatten(start=1, end=-1)\n"
        + "  (1): Sequential(\n"
        + "    (0): Linear(in=2, out=3, bias=true, parameterization=ntk)\n"
        + "    (1): LeakyReLU(slope=0.2)\n"
        + "  )\n"
        + ")", nested.toString());
  }

  @Test
  void toFloat64ConvertsParametersInPlaceOfTheSameHandles() {
    Sequential m = nested(1);
    Parameter w = ((Linear) m.get(0)).weight();
    Tensor before = w.tensor();
    Tensor x = Tensor.randn(new Rng(4), 2, 3);
    Tensor y32 = m.call(x);
    m.to(DType.FLOAT64);
    assertSame(w, ((Linear) m.get(0)).weight());
    assertEquals(DType.FLOAT64, w.dtype());
    assertTrue(w.tensor().requiresGrad() && w.tensor().isLeaf());
    assertClose(before, w.tensor(), 0, "values kept");
    Tensor y64 = m.call(x.toFloat64());
    assertEquals(DType.FLOAT64, y64.dtype());
    assertClose(y32, y64, 1e-6, "same function");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call(x));
    assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
  }

  @Test
  void buffersAreSavedAfterTheirModulesParametersAndConverted() {
    final class WithBuffer extends Module {
      WithBuffer() {
        registerParameter("weight", new Parameter(Tensor.ones(2)));
        registerBuffer("count", Tensor.zeros(1));
      }

      @Override
      protected Tensor forward(Tensor x) {
        return x.mul(ownParameters().get("weight").tensor());
      }
    }
    Sequential m = new Sequential(new WithBuffer(), new Linear(2, 2, false, new Rng(0)));
    assertEquals(List.of("0.weight", "0.count", "1.weight"), List.copyOf(m.stateDict().keySet()));
    m.to(DType.FLOAT64);
    assertEquals(DType.FLOAT64, m.get(0).buffer("count").dtype());
    Map<String, Tensor> s = m.stateDict();
    s.put("0.count", Tensor.of(new double[] {7}));
    m.loadStateDict(s);
    assertEquals(7, m.get(0).buffer("count").item());
  }

  @Test
  void linearRejectsWrongInputWidth() {
    Linear l = new Linear(3, 2, false, new Rng(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.call(Tensor.zeros(4, 5)));
    assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("Linear(in=3, out=2"), e.getMessage());
  }
}
