package ansatz.autograd.testing;

import ansatz.autograd.Autograd;
import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The standard check for one differentiable op on one generated input:
 *
 * <ol>
 *   <li>float64 gradients agree with central finite differences ({@link GradCheck});
 *   <li>the float32 forward agrees with the float64 forward on the same (float32-representable)
 *       inputs, and the output stays float32;
 *   <li>the float32 gradients agree with the float64 gradients for the same seed, and have the
 *       leaves' type (float32 has its own code paths in most ops and must not silently differ).
 * </ol>
 *
 * <p>Tolerances: float32 has a relative rounding error of 6e-8 per operation. Ops compute in double
 * and round once, except float32 GEMM, which accumulates k products in float, and composite ops,
 * which round between their stages. So we allow |y32 - y64| &lt;= 1e-5 * max(1, max|y64|) for the
 * forward, i.e. relative 1e-5 of the output's magnitude, and 2e-5 of the gradient's magnitude for
 * the backward (which chains more rounding steps; thousands of generated cases stayed within 1e-5).
 * Genuine bugs (a wrong index, a wrong branch) give errors of the order of the values themselves.
 */
public final class OpCheck {
  /** Forward tolerance of float32 against float64, relative to max(1, max|y64|). */
  public static final double FLOAT32_FORWARD_RTOL = 1e-5;
  /** Gradient tolerance of float32 against float64, relative to max(1, max|g64|). */
  public static final double FLOAT32_BACKWARD_RTOL = 2e-5;

  private OpCheck() {}

  /** Runs all three checks. */
  public static void check(String op, Function<Tensor[], Tensor> f, TensorData... inputs) {
    gradient(op, f, inputs);
    float32MatchesFloat64(op, f, inputs);
  }

  /** Check 1: float64 gradients of the differentiable inputs against finite differences. */
  public static void gradient(String op, Function<Tensor[], Tensor> f, TensorData... inputs) {
    GradCheck.check(op, f, leaves(DType.FLOAT64, inputs));
  }

  /** Checks 2 and 3: float32 forward and backward against float64. */
  public static void float32MatchesFloat64(String op, Function<Tensor[], Tensor> f, TensorData... inputs) {
    Tensor[] x64 = leaves(DType.FLOAT64, inputs), x32 = leaves(DType.FLOAT32, inputs);
    Tensor y64 = f.apply(x64), y32 = f.apply(x32);
    if (y32.dtype() != DType.FLOAT32) throw new AssertionError(op + ": float32 inputs gave a " + y32.dtype() + " output");
    if (y64.dtype() != DType.FLOAT64) throw new AssertionError(op + ": float64 inputs gave a " + y64.dtype() + " output");
    assertClose(op + " forward (float32 vs float64)", y64, y32, FLOAT32_FORWARD_RTOL);

    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) if (inputs[i].differentiable()) diff.add(i);
    if (diff.isEmpty()) return;
    Tensor seed64 = Tensor.randn(new Rng(4242), DType.FLOAT32, y64.shape()).to(DType.FLOAT64);
    Tensor seed32 = seed64.to(DType.FLOAT32);
    Tensor[] w64 = diff.stream().map(i -> x64[i]).toArray(Tensor[]::new);
    Tensor[] w32 = diff.stream().map(i -> x32[i]).toArray(Tensor[]::new);
    Tensor[] g64 = Autograd.grad(new Tensor[] {y64}, w64, new Tensor[] {seed64}, false);
    Tensor[] g32 = Autograd.grad(new Tensor[] {y32}, w32, new Tensor[] {seed32}, false);
    for (int k = 0; k < diff.size(); k++) {
      String what = op + " gradient of input " + diff.get(k) + " (float32 vs float64)";
      if (g32[k].dtype() != DType.FLOAT32) throw new AssertionError(what + ": gradient of a float32 leaf is " + g32[k].dtype());
      assertClose(what, g64[k], g32[k], FLOAT32_BACKWARD_RTOL);
    }
  }

  /**
   * Asserts equal shapes and |actual - expected| &lt;= rtol * max(1, max|expected|) elementwise.
   */
  public static void assertClose(String what, Tensor expected, Tensor actual, double rtol) {
    if (!Shape.same(expected.shape(), actual.shape())) {
      throw new AssertionError(what + ": shape " + Shape.str(actual.shape()) + ", expected " + Shape.str(expected.shape()));
    }
    double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
    assertClose(what, e, a, expected.shape(), rtol);
  }

  /** Like {@link #assertClose(String, Tensor, Tensor, double)} on flat row-major arrays. */
  public static void assertClose(String what, double[] e, double[] a, int[] shape, double rtol) {
    if (e.length != a.length) throw new AssertionError(what + ": " + a.length + " values, expected " + e.length);
    double scale = 1;
    for (double v : e) scale = Math.max(scale, Math.abs(v));
    double tol = rtol * scale;
    for (int i = 0; i < e.length; i++) {
      if (!(Math.abs(a[i] - e[i]) <= tol) && !(Double.isNaN(e[i]) && Double.isNaN(a[i])) && e[i] != a[i]) {
        throw new AssertionError(String.format("%s: at index %s got %.9g, expected %.9g (|diff| %.3g > tol %.3g)",
            what, Arrays.toString(GradCheck.unravel(i, shape)), a[i], e[i], Math.abs(a[i] - e[i]), tol));
      }
    }
  }

  /** @return fresh leaves of the given type, one per input */
  public static Tensor[] leaves(DType dtype, TensorData... inputs) {
    Tensor[] t = new Tensor[inputs.length];
    for (int i = 0; i < t.length; i++) t[i] = inputs[i].leaf(dtype);
    return t;
  }
}
