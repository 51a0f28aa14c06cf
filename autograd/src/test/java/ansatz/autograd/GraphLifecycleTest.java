package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Retaining and freeing graphs, accumulation, detach, grad mode, and in-place safety. */
@SuppressWarnings("try") // scopes opened only for their effect on grad mode
class GraphLifecycleTest {
  private static Tensor leaf(double... v) {
    return Tensor.of(v).requiresGrad(true);
  }

  @Test
  void retainGraphAllowsASecondBackward() {
    Tensor x = leaf(1, 2);
    Tensor y = x.exp().sum();
    y.backward(Tensor.scalar(1, DType.FLOAT64), true);
    y.backward(Tensor.scalar(1, DType.FLOAT64), false);
    assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void secondBackwardWithoutRetainGraphFailsClearly() {
    Tensor x = leaf(1, 2);
    Tensor h = x.exp();
    h.sum().backward();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.mul(2).sum().backward());
    assertTrue(e.getMessage().contains("freed") && e.getMessage().contains("exp"), e.getMessage());
  }

  @Test
  void gradientsAccumulateUntilZeroGrad() {
    Tensor x = leaf(1, 2);
    for (int i = 1; i <= 3; i++) {
      x.mul(x).sum().backward();
      assertArrayEquals(new double[] {2 * i, 4 * i}, x.grad().toDoubleArray(), 1e-12, "after " + i + " backward calls");
    }
    x.zeroGrad();
    assertNull(x.grad());
    x.mul(3).sum().backward();
    assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void retainGradKeepsAnIntermediateGradient() {
    Tensor x = leaf(1, 2);
    Tensor h = x.mul(3).retainGrad();
    h.square().sum().backward();
    assertArrayEquals(new double[] {6, 12}, h.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void detachStopsGradientsAndSharesStorage() {
    Tensor x = leaf(1, 2);
    Tensor d = x.detach();
    assertFalse(d.requiresGrad());
    assertTrue(d.isLeaf());
    assertSame(x.storage(), d.storage());
    x.mul(d).sum().backward(); // d/dx (x * const) = const
    assertArrayEquals(new double[] {1, 2}, x.grad().toDoubleArray(), 1e-12);
    Tensor y = x.exp().detach();
    assertFalse(y.requiresGrad());
    assertThrows(IllegalStateException.class, () -> y.sum().backward());
  }

  @Test
  void gradDisabledBuildsNoGraphAndNestsCorrectly() {
    Tensor x = leaf(1, 2);
    assertTrue(Grad.isEnabled());
    try (Grad.Scope outer = Grad.disabled()) {
      Tensor y = x.mul(2);
      assertFalse(y.requiresGrad());
      assertNull(y.gradFn());
      try (Grad.Scope inner = Grad.disabled()) {
        assertFalse(Grad.isEnabled());
      }
      assertFalse(Grad.isEnabled(), "closing an inner disabled scope keeps the outer one");
      try (Grad.Scope on = Grad.enabled()) {
        assertTrue(Grad.isEnabled());
        assertTrue(x.mul(2).requiresGrad(), "recording inside enabled()");
      }
      assertFalse(Grad.isEnabled(), "closing enabled() restores disabled");
    }
    assertTrue(Grad.isEnabled());
    assertTrue(x.mul(2).requiresGrad());
  }

  @Test
  void gradModeIsPerThread() throws Exception {
    try (Grad.Scope off = Grad.disabled()) {
      boolean[] other = new boolean[1];
      Thread t = new Thread(() -> other[0] = Grad.isEnabled());
      t.start();
      t.join();
      assertTrue(other[0]);
    }
  }

  @Test
  void inPlaceChangeOfASavedInputGivesTheVersionError() {
    Tensor x = leaf(1, 2);
    Tensor h = x.exp();
    Tensor z = h.mul(h).sum(); // mul saves h
    h.mulInPlace(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
    assertTrue(e.getMessage().contains("modified in place") && e.getMessage().contains("mul"), e.getMessage());
  }

  @Test
  void inPlaceChangeOfASavedOutputGivesTheVersionError() {
    Tensor x = leaf(1, 2);
    Tensor y = x.exp(); // exp's backward uses its own output
    y.mulInPlace(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
    assertTrue(e.getMessage().contains("modified in place") && e.getMessage().contains("exp"), e.getMessage());
  }

  @Test
  void inPlaceChangeThroughAViewGivesTheVersionError() {
    Tensor x = leaf(1, 2, 3, 4);
    Tensor h = x.mul(1);
    Tensor z = h.square().sum();
    h.narrow(0, 1, 2).fill(0); // shares h's storage
    IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
    assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
  }

  @Test
  void inPlaceChangeOfALeafThatRequiresGradIsRefusedUnlessGradIsOff() {
    Tensor w = leaf(1, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.addInPlace(Tensor.of(1.0, 1.0), 1));
    assertTrue(e.getMessage().contains("leaf"), e.getMessage());
    try (Grad.Scope off = Grad.disabled()) {
      w.addInPlace(Tensor.of(1.0, 1.0), 0.5);
    }
    assertArrayEquals(new double[] {1.5, 2.5}, w.toDoubleArray());
  }

  @Test
  void theGraphDoesNotChangeWhenTheCallersInputArrayIsReused() {
    Tensor a = leaf(1, 2), b = leaf(3);
    Tensor[] parts = {a, b};
    Tensor joined = Tensor.concat(0, parts);
    parts[0] = leaf(9, 9); // reusing the array must not rewire the recorded concat
    joined.mul(Tensor.of(1.0, 2, 3)).sum().backward();
    assertArrayEquals(new double[] {1, 2}, a.grad().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {3}, b.grad().toDoubleArray(), 1e-12);
    assertNull(parts[0].grad());
  }

  @Test
  void backwardNeedsAScalarOrASeed() {
    Tensor x = leaf(1, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward());
    assertTrue(e.getMessage().contains("seed") && e.getMessage().contains("[2]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward(Tensor.ones(DType.FLOAT64, 3)));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    IllegalStateException s = assertThrows(IllegalStateException.class, () -> Tensor.of(1.0).backward());
    assertTrue(s.getMessage().contains("does not require grad"), s.getMessage());
  }

  @Test
  void aSeedIsBackpropagatedAsGiven() {
    Tensor x = leaf(1, 2, 3);
    x.square().backward(Tensor.of(1.0, -1, 0.5));
    assertArrayEquals(new double[] {2, -4, 3}, x.grad().toDoubleArray(), 1e-12);
    assertEquals(DType.FLOAT64, x.grad().dtype());
  }

  /**
   * A 20000-op chain, differentiated on a thread with a small stack: the engine must not recurse
   * per node (the topological sort and the walk are iterative).
   */
  @Test
  void deepChainDoesNotOverflowTheStack() throws Exception {
    int depth = 20_000;
    Throwable[] failure = new Throwable[1];
    double[] result = new double[2];
    Thread t = new Thread(null, () -> {
      try {
        Tensor x = leaf(0.5);
        Tensor y = x;
        for (int i = 0; i < depth; i++) y = y.mul(1.0001).add(0.001);
        y.sum().backward();
        result[0] = x.grad().item();
        Tensor[] g = Autograd.grad(new Tensor[] {y.sum()}, new Tensor[] {x}, null, false);
        result[1] = Double.NaN; // unreachable: the graph was freed
        assertNull(g);
      } catch (IllegalStateException freed) {
        result[1] = -1;
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "deep-chain", 256 * 1024);
    t.start();
    t.join();
    if (failure[0] != null) throw new AssertionError("deep chain failed", failure[0]);
    assertEquals(Math.pow(1.0001, depth), result[0], 1e-9 * Math.pow(1.0001, depth));
    assertEquals(-1, result[1], "reusing the freed deep graph gives the clear error, not a stack overflow");
  }
}
