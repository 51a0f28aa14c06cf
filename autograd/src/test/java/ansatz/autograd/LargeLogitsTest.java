package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * logSumExp, softmax and logSoftmax on logits of magnitude 1e4, where exp overflows: the results
 * and their gradients must be finite and equal to the values computed analytically.
 */
class LargeLogitsTest {
  // Row 0 is [1e4, 1e4 - 1, -1e4]: with c = log(1 + e^-1) (the e^-2e4 term vanishes), lse = 1e4 + c,
  // logSoftmax = [-c, -1 - c, -2e4 - c], softmax = [1, e^-1, 0] / (1 + e^-1).
  // Row 1 is [-1e4, -1e4 - 1, 1e4]: lse = 1e4, softmax = [0, 0, 1].
  private static final double C = Math.log1p(Math.exp(-1));

  private static Tensor logits(DType dtype) {
    return Tensor.of(new double[] {1e4, 1e4 - 1, -1e4, -1e4, -1e4 - 1, 1e4}, 2, 3).to(dtype).requiresGrad(true);
  }

  private static void assertAllFinite(Tensor t, String what) {
    for (double v : t.toDoubleArray()) assertTrue(Double.isFinite(v), what + " has a non-finite value: " + t);
  }

  @Test
  void logSumExpIsFiniteAndExact() {
    for (DType dt : DType.values()) {
      Tensor x = logits(dt);
      Tensor lse = x.logSumExp(1, false);
      double tol = dt == DType.FLOAT64 ? 1e-9 : 2e-3; // float32 spacing at 1e4 is 1e-3
      assertEquals(1e4 + C, lse.get(0), tol, dt + " row 0");
      assertEquals(1e4, lse.get(1), tol, dt + " row 1");
      lse.sum().backward();
      assertAllFinite(x.grad(), dt + " lse gradient");
      // The gradient of lse is softmax.
      assertEquals(1 / (1 + Math.exp(-1)), x.grad().get(0, 0), 1e-6);
      assertEquals(0, x.grad().get(0, 2), 1e-12);
    }
  }

  @Test
  void softmaxAndLogSoftmaxAreFiniteAndExact() {
    for (DType dt : DType.values()) {
      Tensor x = logits(dt);
      Tensor p = x.softmax(1), lp = x.logSoftmax(1);
      assertAllFinite(p, dt + " softmax");
      assertAllFinite(lp, dt + " logSoftmax");
      assertEquals(1 / (1 + Math.exp(-1)), p.get(0, 0), 1e-6);
      assertEquals(Math.exp(-1) / (1 + Math.exp(-1)), p.get(0, 1), 1e-6);
      assertEquals(0, p.get(0, 2), 1e-12);
      assertEquals(1, p.get(1, 2), 1e-6);
      // Relative to the value, not to the logits' scale: float32 must not lose digits to the 1e4 shift.
      assertEquals(-C, lp.get(0, 0), dt == DType.FLOAT64 ? 1e-12 : 1e-6);
      assertEquals(-1 - C, lp.get(0, 1), dt == DType.FLOAT64 ? 1e-12 : 1e-6);
      assertEquals(-2e4 - C, lp.get(0, 2), dt == DType.FLOAT64 ? 1e-9 : 4e-3);

      Tensor seed = Tensor.of(new double[] {1, -2, 0.5, 0.3, 0, -1}, 2, 3);
      lp.backward(seed, false);
      assertAllFinite(x.grad(), dt + " logSoftmax gradient");
      // d/dx_j sum_i s_i logSoftmax_i = s_j - p_j * sum_i s_i
      double s0 = 1 - 2 + 0.5;
      assertEquals(1 - p.get(0, 0) * s0, x.grad().get(0, 0), 1e-5);
      assertEquals(0.5 - p.get(0, 2) * s0, x.grad().get(0, 2), 1e-5);

      Tensor y = logits(dt);
      y.softmax(1).mul(seed.to(dt)).sum().backward();
      assertAllFinite(y.grad(), dt + " softmax gradient");
    }
  }
}
