package ansatz.autograd;

import ansatz.autograd.testing.GradCheck;
import ansatz.autograd.testing.TensorData;
import java.util.function.DoubleBinaryOperator;

/**
 * Reference implementations by plain index arithmetic, written as directly from the definitions as
 * possible (one output element at a time), to check the forward values of the optimised ops.
 */
final class Naive {
  private Naive() {}

  /** @return flat row-major position of a multi-index */
  static int ravel(int[] idx, int[] shape) {
    int p = 0;
    for (int i = 0; i < shape.length; i++) p = p * shape[i] + idx[i];
    return p;
  }

  /** @return the element of x at output index {@code out} under NumPy broadcasting (right-aligned, size 1 repeats) */
  static double broadcastGet(TensorData x, int[] out) {
    int[] s = x.shape();
    int lead = out.length - s.length;
    int[] idx = new int[s.length];
    for (int i = 0; i < s.length; i++) idx[i] = s[i] == 1 ? 0 : out[lead + i];
    return x.values()[ravel(idx, s)];
  }

  /** @return op(a, b) in the broadcast shape {@code shape} */
  static double[] binary(TensorData a, TensorData b, int[] shape, DoubleBinaryOperator op) {
    double[] r = new double[Shape.numel(shape)];
    for (int i = 0; i < r.length; i++) {
      int[] idx = GradCheck.unravel(i, shape);
      r[i] = op.applyAsDouble(broadcastGet(a, idx), broadcastGet(b, idx));
    }
    return r;
  }

  /**
   * @return the reduction of x over {@code axes} (any order, negative allowed) by {@code op} from
   *     {@code init}, as a flat array over the kept axes in order
   */
  static double[] reduce(TensorData x, int[] axes, double init, DoubleBinaryOperator op) {
    int[] s = x.shape();
    boolean[] red = new boolean[s.length];
    for (int a : axes) red[a < 0 ? a + s.length : a] = true;
    int[] keep = s.clone();
    for (int i = 0; i < s.length; i++) if (red[i]) keep[i] = 1;
    double[] r = new double[Shape.numel(keep)];
    java.util.Arrays.fill(r, init);
    for (int i = 0; i < x.numel(); i++) {
      int[] idx = GradCheck.unravel(i, s);
      for (int k = 0; k < s.length; k++) if (red[k]) idx[k] = 0;
      int o = ravel(idx, keep);
      r[o] = op.applyAsDouble(r[o], x.values()[i]);
    }
    return r;
  }

  /** @return the matrix product of row-major [m, k] and [k, n] arrays */
  static double[] matmul(double[] a, double[] b, int m, int k, int n) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        c[i * n + j] = s;
      }
    }
    return c;
  }
}
