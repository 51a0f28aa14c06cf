package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The layout fast paths give bit-identical results to the general paths: the sum over leading
 * axes of a contiguous tensor (no transposed copy), and the weight gradient of {@code x w^T}
 * (computed in the weight's own layout).
 */
class LayoutFastPathTest {

  /** Same values as {@code a}, but a non-contiguous view, so ops take their general path. */
  private static Tensor strided(Tensor a) {
    Tensor t = a.transpose(a.dim() - 2, a.dim() - 1).copyData().transpose(a.dim() - 2, a.dim() - 1);
    assertFalse(t.isContiguous());
    return t;
  }

  @Test
  void sumOverLeadingAxesMatchesTheGeneralPathExactly() {
    Rng rng = new Rng(11);
    for (DType dt : DType.values()) {
      Tensor a = Tensor.randn(rng, dt, 7, 9, 8, 5);
      assertTrue(a.isContiguous());
      for (int[] axes : new int[][] {{0}, {0, 1}, {1, 0}, {0, 1, 2}, {-4}}) {
        for (boolean keep : new boolean[] {false, true}) {
          Tensor fast = a.sum(axes, keep), general = strided(a).sum(axes, keep);
          assertArrayEquals(general.shape(), fast.shape());
          assertArrayEquals(general.toDoubleArray(), fast.toDoubleArray(), 0.0, dt + " axes " + java.util.Arrays.toString(axes));
        }
      }
    }
  }

  @Test
  void weightGradientOfATransposedOperandIsDenseAndUnchanged() {
    Rng rng = new Rng(12);
    Tensor x = Tensor.randn(rng, 17, 9);
    Tensor w = Tensor.randn(rng, 15, 9).requiresGrad(true);
    Tensor seed = Tensor.randn(rng, 17, 15);
    x.matmul(w.t()).backward(seed);
    Tensor expected = seed.t().matmul(x); // dL/dW = G^T X
    assertTrue(w.grad().isContiguous());
    assertArrayEquals(expected.toFloatArray(), w.grad().toFloatArray(), 1e-5f);
  }
}
