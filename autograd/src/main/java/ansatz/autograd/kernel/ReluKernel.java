package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ReLU over flat arrays, forward and backward, each one pass.
 *
 * <ul>
 *   <li>forward: {@code y[i] = x[i] > 0 ? x[i] : 0};
 *   <li>backward: {@code dx[i] = y[i] > 0 ? g[i] : 0}, the gradient masked by the forward output
 *       (y &gt; 0 exactly where x &gt; 0), so only the output needs to be kept for backward.
 * </ul>
 *
 * <p>Both are selects, not arithmetic: NaN and -0 inputs give +0, and a masked-off gradient is
 * exactly 0 even if it is infinite or NaN (PyTorch's {@code threshold_backward} does the same).
 * The vector twin is bitwise equal to the scalar twin. Output and input may be the same array at
 * the same offset (in place). Long arrays are split over {@link Parallel} (elementwise, so the
 * split cannot change a result).
 */
public final class ReluKernel {
  // Below this many elements waking a worker costs more than the second core saves: measured on
  // the shared 2-core machine, a 128K-element backward took 19 us on one thread and 140 us split
  // in two (the wake-up dominates a memory-bound pass). 1 << 18 keeps the MLP's (128 x 1024)
  // activations on the caller's thread and still splits the batch-1024 inference ones.
  static final int GRAIN = 1 << 18;

  private ReluKernel() {}

  /** {@code y[yOff + i] = max(x[xOff + i], 0)} for i in [0, n) (select form, see the class comment). */
  public static void forward(float[] x, int xOff, float[] y, int yOff, int n) {
    Parallel.forRange(n, GRAIN, (from, to) -> {
      if (Simd.ENABLED) Vector.forward(x, xOff + from, y, yOff + from, to - from);
      else forwardScalar(x, xOff + from, y, yOff + from, to - from);
    });
  }

  /** {@code dx[dxOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0} for i in [0, n). */
  public static void backward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
    Parallel.forRange(n, GRAIN, (from, to) -> {
      if (Simd.ENABLED) Vector.backward(g, gOff + from, y, yOff + from, dx, dxOff + from, to - from);
      else backwardScalar(g, gOff + from, y, yOff + from, dx, dxOff + from, to - from);
    });
  }

  /** Float64 {@link #forward(float[], int, float[], int, int)}. */
  public static void forward(double[] x, int xOff, double[] y, int yOff, int n) {
    Parallel.forRange(n, GRAIN, (from, to) -> {
      if (Simd.ENABLED) Vector.forward(x, xOff + from, y, yOff + from, to - from);
      else forwardScalar(x, xOff + from, y, yOff + from, to - from);
    });
  }

  /** Float64 {@link #backward(float[], int, float[], int, float[], int, int)}. */
  public static void backward(double[] g, int gOff, double[] y, int yOff, double[] dx, int dxOff, int n) {
    Parallel.forRange(n, GRAIN, (from, to) -> {
      if (Simd.ENABLED) Vector.backward(g, gOff + from, y, yOff + from, dx, dxOff + from, to - from);
      else backwardScalar(g, gOff + from, y, yOff + from, dx, dxOff + from, to - from);
    });
  }

  // ---- scalar twins (the reference; also the vector loops' tails) ----

  static void forwardScalar(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v > 0 ? v : 0f;
    }
  }

  static void backwardScalar(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
    for (int i = 0; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0f;
  }

  static void forwardScalar(double[] x, int xOff, double[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xOff + i];
      y[yOff + i] = v > 0 ? v : 0.0;
    }
  }

  static void backwardScalar(double[] g, int gOff, double[] y, int yOff, double[] dx, int dxOff, int n) {
    for (int i = 0; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0.0;
  }

  /** The Vector API twins; a nested class so that nothing loads the vector module when SIMD is off. */
  static final class Vector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private Vector() {}

    static void forward(float[] x, int xOff, float[] y, int yOff, int n) {
      FloatVector zero = FloatVector.zero(F);
      int i = 0;
      for (int end = F.loopBound(n); i < end; i += F.length()) {
        FloatVector v = FloatVector.fromArray(F, x, xOff + i);
        zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
      }
      forwardScalar(x, xOff + i, y, yOff + i, n - i);
    }

    static void backward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
      FloatVector zero = FloatVector.zero(F);
      int i = 0;
      for (int end = F.loopBound(n); i < end; i += F.length()) {
        FloatVector out = FloatVector.fromArray(F, y, yOff + i);
        FloatVector grad = FloatVector.fromArray(F, g, gOff + i);
        zero.blend(grad, out.compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + i);
      }
      backwardScalar(g, gOff + i, y, yOff + i, dx, dxOff + i, n - i);
    }

    static void forward(double[] x, int xOff, double[] y, int yOff, int n) {
      DoubleVector zero = DoubleVector.zero(D);
      int i = 0;
      for (int end = D.loopBound(n); i < end; i += D.length()) {
        DoubleVector v = DoubleVector.fromArray(D, x, xOff + i);
        zero.blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(y, yOff + i);
      }
      forwardScalar(x, xOff + i, y, yOff + i, n - i);
    }

    static void backward(double[] g, int gOff, double[] y, int yOff, double[] dx, int dxOff, int n) {
      DoubleVector zero = DoubleVector.zero(D);
      int i = 0;
      for (int end = D.loopBound(n); i < end; i += D.length()) {
        DoubleVector out = DoubleVector.fromArray(D, y, yOff + i);
        DoubleVector grad = DoubleVector.fromArray(D, g, gOff + i);
        zero.blend(grad, out.compare(VectorOperators.GT, 0.0)).intoArray(dx, dxOff + i);
      }
      backwardScalar(g, gOff + i, y, yOff + i, dx, dxOff + i, n - i);
    }
  }
}
