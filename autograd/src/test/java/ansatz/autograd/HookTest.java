package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Tensor hooks: what they see, replacing gradients, removal and order. */
class HookTest {
  private static Tensor leaf(double... v) {
    return Tensor.of(v).requiresGrad(true);
  }

  @Test
  void hookOnIntermediateSeesTheCompleteGradientOnce() {
    Tensor x = leaf(1, 2, 3);
    Tensor y = x.mul(2);
    List<double[]> seen = new ArrayList<>();
    y.registerHook(g -> {
      seen.add(g.toDoubleArray());
      return null;
    });
    // y feeds three consumers; the hook must run once, with the sum 3 + 5 + 2*y.
    y.mul(3).add(y.mul(5)).add(y.square()).sum().backward();
    assertEquals(1, seen.size());
    assertArrayEquals(new double[] {8 + 4, 8 + 8, 8 + 12}, seen.get(0), 1e-12);
  }

  @Test
  void hookOnLeafSeesTheCompleteGradientOnce() {
    Tensor x = leaf(1, 2);
    List<double[]> seen = new ArrayList<>();
    x.registerHook(g -> {
      seen.add(g.toDoubleArray());
      return null;
    });
    x.mul(x).add(x).sum().backward();
    assertEquals(1, seen.size());
    assertArrayEquals(new double[] {3, 5}, seen.get(0), 1e-12);
    assertArrayEquals(new double[] {3, 5}, x.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void hookCanReplaceTheGradientAndEverythingUpstreamSeesTheReplacement() {
    Tensor x = leaf(1, 2);
    Tensor y = x.exp();
    y.registerHook(g -> g.mul(10));
    y.sum().backward();
    assertArrayEquals(new double[] {10 * Math.exp(1), 10 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-9);

    Tensor w = leaf(1, 2);
    w.registerHook(g -> Tensor.zeros(DType.FLOAT64, 2));
    w.mul(3).sum().backward();
    assertArrayEquals(new double[] {0, 0}, w.grad().toDoubleArray(), "a leaf hook's replacement is what accumulates");
  }

  @Test
  void closingTheHandleRemovesTheHookAndClosingTwiceIsHarmless() {
    Tensor x = leaf(1, 2);
    int[] calls = {0};
    HookHandle h = x.registerHook(g -> {
      calls[0]++;
      return g.mul(100);
    });
    x.sum().backward();
    assertEquals(1, calls[0]);
    h.close();
    h.close();
    x.zeroGrad();
    x.sum().backward();
    assertEquals(1, calls[0], "removed hook must not run");
    assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleArray());
  }

  @Test
  void hooksRunInRegistrationOrderEachSeeingThePreviousResult() {
    Tensor x = leaf(1);
    List<String> order = new ArrayList<>();
    x.registerHook(g -> {
      order.add("first");
      return g.add(1);
    });
    x.registerHook(g -> {
      order.add("second");
      return g.mul(2);
    });
    x.registerHook(g -> {
      order.add("third");
      return null;
    });
    x.mul(5).sum().backward();
    assertEquals(List.of("first", "second", "third"), order);
    assertEquals((5 + 1) * 2, x.grad().item(), 1e-12);
  }

  @Test
  void closingOneOfTwoRegistrationsOfTheSameHookKeepsTheOther() {
    Tensor x = leaf(1);
    List<String> order = new ArrayList<>();
    UnaryOperator<Tensor> a = g -> {
      order.add("a");
      return null;
    };
    x.registerHook(a);
    x.registerHook(g -> {
      order.add("b");
      return null;
    });
    HookHandle second = x.registerHook(a);
    second.close();
    x.sum().backward();
    assertEquals(List.of("a", "b"), order);
  }

  @Test
  void hooksAlsoRunInFunctionalGrad() {
    Tensor x = leaf(1, 2);
    Tensor y = x.mul(3);
    y.registerHook(g -> g.mul(2));
    Tensor[] g = Autograd.grad(new Tensor[] {y.sum()}, new Tensor[] {x}, null, false);
    assertArrayEquals(new double[] {6, 6}, g[0].toDoubleArray(), 1e-12);
  }

  @Test
  void hookReturningAWrongShapeFailsClearly() {
    Tensor x = leaf(1, 2);
    x.registerHook(g -> Tensor.zeros(DType.FLOAT64, 3));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
    assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
  }

  @Test
  void registeringOnATensorWithoutGradFailsClearly() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.of(1.0, 2.0).registerHook(g -> g));
    assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
  }
}
