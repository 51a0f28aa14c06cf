package ansatz.autograd.testing;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Grad;
import ansatz.autograd.Rng;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Gradient checker: compares the engine's gradients with float64 central finite differences.
 * Shipped in autograd's test-jar for the other modules' layer tests.
 *
 * <p>The scalar checked is L = sum(seed * f(inputs)) with a random seed, so every output element
 * and every input element is exercised. A mismatch throws {@link AssertionError} naming the op, the
 * input, the element's index, the analytic and the numeric value.
 */
public final class GradCheck {
  /** Finite-difference step (float64: truncation ~h^2, rounding ~1e-16/h, both far below tolerance). */
  public static final double H = 1e-6;
  /** Relative tolerance. */
  public static final double RTOL = 1e-5;
  /** Absolute tolerance, relative to the largest gradient magnitude seen. */
  public static final double ATOL = 1e-6;

  private GradCheck() {}

  /**
   * Checks d L / d inputs[i] for every input that requires grad.
   *
   * @param op name used in failure messages
   * @param f the function under test; it must not mutate its inputs
   * @param inputs float64 tensors; those with requiresGrad are checked
   */
  public static void check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
    for (Tensor t : inputs) {
      if (t.dtype() != DType.FLOAT64) throw new IllegalArgumentException("GradCheck needs float64 inputs; got " + t.dtype());
    }
    Tensor out = f.apply(inputs);
    Tensor seed = Tensor.randn(new Rng(12345), DType.FLOAT64, out.shape());
    int nReq = 0;
    for (Tensor t : inputs) if (t.requiresGrad()) nReq++;
    Tensor[] wrt = new Tensor[nReq];
    int[] which = new int[nReq];
    for (int i = 0, k = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) { wrt[k] = inputs[i]; which[k++] = i; }
    if (nReq == 0) throw new IllegalArgumentException("GradCheck: no input requires grad");
    if (!out.requiresGrad()) throw new AssertionError(op + ": output does not require grad although inputs do");
    Tensor[] analytic = Autograd.grad(new Tensor[] {out}, wrt, new Tensor[] {seed}, false);
    for (int k = 0; k < nReq; k++) {
      Tensor x = wrt[k];
      if (!Shape.same(analytic[k].shape(), x.shape())) {
        throw new AssertionError(op + ": gradient of input " + which[k] + " has shape " + Shape.str(analytic[k].shape()) + ", input has " + Shape.str(x.shape()));
      }
      double[] a = analytic[k].toDoubleArray();
      double[] num = numeric(f, inputs, x, seed);
      double scale = 0;
      for (double v : num) scale = Math.max(scale, Math.abs(v));
      for (int i = 0; i < a.length; i++) {
        double tol = ATOL * Math.max(1, scale) + RTOL * Math.abs(num[i]);
        if (!(Math.abs(a[i] - num[i]) <= tol)) {
          throw new AssertionError(String.format(
              "%s: gradient of input %d (shape %s) at index %s: analytic %.10g, numeric %.10g (|diff| %.3g > tol %.3g)",
              op, which[k], Shape.str(x.shape()), Arrays.toString(unravel(i, x.shape())), a[i], num[i], Math.abs(a[i] - num[i]), tol));
        }
      }
    }
  }

  private static double[] numeric(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor x, Tensor seed) {
    int n = x.numel();
    double[] g = new double[n];
    try (Grad.Scope off = Grad.disabled()) {
      for (int i = 0; i < n; i++) {
        int[] idx = unravel(i, x.shape());
        double orig = x.get(idx);
        x.set(orig + H, idx);
        double plus = f.apply(inputs).mul(seed).sum().item();
        x.set(orig - H, idx);
        double minus = f.apply(inputs).mul(seed).sum().item();
        x.set(orig, idx);
        g[i] = (plus - minus) / (2 * H);
      }
    }
    return g;
  }

  /** @return the multi-index of flat position i in a row-major shape */
  public static int[] unravel(int i, int[] shape) {
    int[] idx = new int[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      idx[a] = i % shape[a];
      i /= shape[a];
    }
    return idx;
  }
}
