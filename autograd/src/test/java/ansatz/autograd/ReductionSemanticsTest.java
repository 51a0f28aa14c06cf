package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The PyTorch conventions that GoldenOpsTest found missing, pinned down by hand: how maxima share
 * their gradient, and float32 log-softmax accuracy for large logits.
 */
class ReductionSemanticsTest {
  @Test
  void amaxAndMaxOfAllSplitTheGradientAmongTies() {
    Tensor x = Tensor.of(new double[][] {{1, 3, 3, 2}, {5, 5, 5, 1}}).requiresGrad(true);
    x.max(new int[] {1}, false).sum().backward();
    assertArrayEquals(new double[] {0, 0.5, 0.5, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0}, x.grad().toDoubleArray(), 1e-15);
    x.zeroGrad();
    x.max().backward();
    assertArrayEquals(new double[] {0, 0, 0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0}, x.grad().toDoubleArray(), 1e-15);
    x.zeroGrad();
    x.min().backward();
    assertArrayEquals(new double[] {0.5, 0, 0, 0, 0, 0, 0, 0.5}, x.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void maxAlongADimSendsTheGradientToTheFirstMaximum() {
    Tensor x = Tensor.of(new double[][] {{1, 3, 3, 2}, {5, 5, 5, 1}}).requiresGrad(true);
    var r = x.maxWithIndex(1, false);
    assertArrayEquals(new int[] {1, 0}, r.indices());
    r.values().sum().backward();
    assertArrayEquals(new double[] {0, 1, 0, 0, 1, 0, 0, 0}, x.grad().toDoubleArray(), 0);
  }

  @Test
  void aNanMaximumSharesItsGradientAmongTheNans() {
    Tensor x = Tensor.of(new double[] {1, Double.NaN, 7, Double.NaN}).requiresGrad(true);
    Tensor m = x.max();
    assertTrue(Double.isNaN(m.item()));
    m.backward();
    assertArrayEquals(new double[] {0, 0.5, 0, 0.5}, x.grad().toDoubleArray(), 0);
  }

  @Test
  void float32LogSoftmaxOfLargeLogitsIsAccurate() {
    // Exactly representable in float32; the answer depends only on the offsets 0.5, 0, -1.25.
    float[] z = {10000.5f, 10000f, 9998.75f};
    double[] off = {0.5, 0, -1.25};
    double lse = Math.log(Math.exp(off[0]) + Math.exp(off[1]) + Math.exp(off[2]));
    float[] got = Tensor.of(z, 1, 3).logSoftmax(1).toFloatArray();
    float[] p = Tensor.of(z, 1, 3).softmax(1).toFloatArray();
    for (int i = 0; i < 3; i++) {
      assertEquals(off[i] - lse, got[i], 1e-6, "log softmax " + i);
      assertEquals(Math.exp(off[i] - lse), p[i], 1e-6, "softmax " + i);
    }
  }
}
