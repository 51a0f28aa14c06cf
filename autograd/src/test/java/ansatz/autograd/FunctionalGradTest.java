package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Autograd#grad}: gradients of chosen tensors, without side effects, visiting only what is needed. */
class FunctionalGradTest {
  /** The identity, counting how often its backward runs. */
  static final class CountingIdentity extends Function {
    int backwardCalls;

    Tensor apply(Tensor a) {
      return record(a.detach().copyData(), a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      backwardCalls++;
      return new Tensor[] {g};
    }
  }

  private static Tensor leaf(double... v) {
    return Tensor.of(v).requiresGrad(true);
  }

  @Test
  void gradientWithRespectToIntermediateTensors() {
    Tensor x = leaf(0.5, -1, 2);
    Tensor h = x.exp();
    Tensor y = h.square().sum();
    Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {h, x}, null, false);
    double[] xv = x.toDoubleArray();
    for (int i = 0; i < 3; i++) {
      assertEquals(2 * Math.exp(xv[i]), g[0].toDoubleArray()[i], 1e-12, "dy/dh");
      assertEquals(2 * Math.exp(2 * xv[i]), g[1].toDoubleArray()[i], 1e-12, "dy/dx");
    }
  }

  @Test
  void severalOutputsWithSeedsAreSummed() {
    Tensor x = leaf(1, 2, 3);
    Tensor y1 = x.mul(2);
    Tensor y2 = x.square();
    Tensor s1 = Tensor.of(1.0, 0, -1), s2 = Tensor.of(0.5, 2, 1);
    Tensor[] g = Autograd.grad(new Tensor[] {y1, y2}, new Tensor[] {x}, new Tensor[] {s1, s2}, false);
    // d/dx (s1 . 2x + s2 . x^2) = 2 s1 + 2 x s2
    assertArrayEquals(new double[] {2 + 1, 0 + 8, -2 + 6}, g[0].toDoubleArray(), 1e-12);
  }

  @Test
  void doesNotTouchGradOfLeavesOrRetainedTensors() {
    Tensor x = leaf(1, 2);
    Tensor w = leaf(3, 4);
    Tensor before = Tensor.of(7.0, 7.0);
    w.setGrad(before);
    Tensor h = x.mul(w).retainGrad();
    Autograd.grad(new Tensor[] {h.sum()}, new Tensor[] {x, w}, null, false);
    assertNull(x.grad());
    assertSame(before, w.grad());
    assertArrayEquals(new double[] {7, 7}, w.grad().toDoubleArray());
    assertNull(h.grad());
  }

  @Test
  void unconnectedInputsGetZerosOfTheirShapeAndType() {
    Tensor x = leaf(1, 2);
    Tensor unused = Tensor.ones(DType.FLOAT32, 2, 3).requiresGrad(true);
    Tensor[] g = Autograd.grad(new Tensor[] {x.sum()}, new Tensor[] {x, unused}, null, false);
    assertArrayEquals(new int[] {2, 3}, g[1].shape());
    assertEquals(DType.FLOAT32, g[1].dtype());
    assertArrayEquals(new double[6], g[1].toDoubleArray());
  }

  @Test
  void branchesThatDoNotLeadToTheRequestedInputsAreNotDifferentiated() {
    Tensor x = leaf(1, 2), w = leaf(3, 4);
    CountingIdentity onW = new CountingIdentity(), onX = new CountingIdentity();
    Tensor y = onX.apply(x).mul(onW.apply(w)).sum();
    Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true);
    assertEquals(1, onX.backwardCalls);
    assertEquals(0, onW.backwardCalls, "the w branch does not lead to x");
    Tensor[] gw = Autograd.grad(new Tensor[] {y}, new Tensor[] {w}, null, true);
    assertEquals(1, onX.backwardCalls, "the x branch does not lead to w");
    assertEquals(1, onW.backwardCalls);
    assertArrayEquals(new double[] {1, 2}, gw[0].toDoubleArray(), 1e-12);
  }

  @Test
  void nothingBelowAnIntermediateInputIsDifferentiated() {
    Tensor x = leaf(1, 2);
    CountingIdentity below = new CountingIdentity();
    Tensor h = below.apply(x).mul(2);
    Tensor[] g = Autograd.grad(new Tensor[] {h.exp().sum()}, new Tensor[] {h}, null, false);
    assertEquals(0, below.backwardCalls);
    assertArrayEquals(new double[] {Math.exp(2), Math.exp(4)}, g[0].toDoubleArray(), 1e-9);
  }

  @Test
  void retainGraphAllowsASecondCallAndWithoutItTheErrorIsClear() {
    Tensor x = leaf(1, 2);
    Tensor y = x.exp().sum();
    Tensor[] g1 = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true);
    Tensor[] g2 = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, false);
    assertArrayEquals(g1[0].toDoubleArray(), g2[0].toDoubleArray());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, false));
    assertTrue(e.getMessage().contains("freed") && e.getMessage().contains("backward(seed, true)"), e.getMessage());
  }

  @Test
  void theGradientOfAnOutputWithRespectToItselfIsItsSeed() {
    Tensor x = leaf(1, 2);
    Tensor y = x.exp();
    Tensor seed = Tensor.of(0.5, -3.0);
    Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {y, x}, new Tensor[] {seed}, false);
    assertArrayEquals(seed.toDoubleArray(), g[0].toDoubleArray());
    assertArrayEquals(new double[] {0.5 * Math.exp(1), -3 * Math.exp(2)}, g[1].toDoubleArray(), 1e-12);
  }

  @Test
  void inputsOrOutputsWithoutGradAreRejectedClearly() {
    Tensor x = leaf(1, 2);
    Tensor c = Tensor.of(1.0, 2.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autograd.grad(new Tensor[] {x.sum()}, new Tensor[] {c}, null, false));
    assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Autograd.grad(new Tensor[] {c.sum()}, new Tensor[] {x}, null, false));
    assertTrue(e.getMessage().contains("output 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Autograd.grad(new Tensor[] {x.mul(2)}, new Tensor[] {x}, null, false));
    assertTrue(e.getMessage().contains("seed") && e.getMessage().contains("[2]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Autograd.grad(new Tensor[] {x.sum()}, new Tensor[] {x}, new Tensor[] {null, null}, false));
    assertTrue(e.getMessage().contains("2 seeds for 1 outputs"), e.getMessage());
  }
}
