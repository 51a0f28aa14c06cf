package ansatz.instrument.math;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;

/**
 * The float64 matrix products the probes need (W^T W, W^T K W, Frobenius norms), on the project's
 * GEMM. Inputs may be any dtype or layout; results are fresh dense float64 tensors.
 */
public final class Products {
  // Column block of the symmetric product in congruence: large enough for efficient GEMMs.
  private static final int SYMMETRIC_BLOCK = 256;
  private Products() {}

  /** @return W^T W for a (rows, cols) matrix W: the (cols, cols) Gram of its columns */
  public static Tensor gram(Tensor w) {
    require2d("gram", w);
    int r = w.size(0), c = w.size(1);
    double[] a = dense(w);
    double[] out = new double[c * c];
    Gemm.dgemm(true, false, c, c, r, 1.0, a, 0, c, a, 0, c, 0.0, out, 0, c);
    return Tensor.wrap(out, c, c);
  }

  /**
   * @return scale * W^T K W for W (rows, cols) and symmetric K (rows, rows): the congruence that
   *     turns the pre-activation matrix K into the input-side AGOP
   */
  public static Tensor congruence(Tensor w, Tensor k, double scale) {
    require2d("congruence", w);
    int r = w.size(0), c = w.size(1);
    if (k.dim() != 2 || k.size(0) != r || k.size(1) != r) {
      throw new IllegalArgumentException("congruence: K must be " + r + " x " + r + " for W of shape " + Shape.str(w.shape())
          + ", got " + Shape.str(k.shape()));
    }
    double[] a = dense(w), kk = dense(k);
    double[] kw = new double[r * c];
    Gemm.dgemm(false, false, r, c, r, 1.0, kk, 0, r, a, 0, c, 0.0, kw, 0, c);
    double[] out = new double[c * c];
    if (c <= 2 * SYMMETRIC_BLOCK) {
      Gemm.dgemm(true, false, c, c, r, scale, a, 0, c, kw, 0, c, 0.0, out, 0, c);
      symmetrizeInPlace(out, c);
    } else {
      // W^T (K W) is symmetric: compute its lower block triangle only (about half the work), then mirror.
      for (int i0 = 0; i0 < c; i0 += SYMMETRIC_BLOCK) {
        int bi = Math.min(SYMMETRIC_BLOCK, c - i0);
        for (int j0 = 0; j0 <= i0; j0 += SYMMETRIC_BLOCK) {
          Gemm.dgemm(true, false, bi, Math.min(SYMMETRIC_BLOCK, c - j0), r, scale, a, i0, c, kw, j0, c, 0.0, out, i0 * c + j0, c);
        }
      }
      for (int i = 0; i < c; i++) {
        int upTo = i - i % SYMMETRIC_BLOCK; // entries left of row i's diagonal block; the diagonal blocks are averaged
        for (int j = 0; j < upTo; j++) out[j * c + i] = out[i * c + j];
        for (int j = upTo; j < i; j++) {
          double v = 0.5 * (out[i * c + j] + out[j * c + i]);
          out[i * c + j] = v;
          out[j * c + i] = v;
        }
      }
    }
    return Tensor.wrap(out, c, c);
  }

  /** @return A B for float64-convertible matrices (m, k) and (k, n) */
  public static Tensor matmul(Tensor a, Tensor b) {
    require2d("matmul", a);
    require2d("matmul", b);
    if (a.size(1) != b.size(0)) {
      throw new IllegalArgumentException("matmul: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()) + " do not chain");
    }
    int m = a.size(0), k = a.size(1), n = b.size(1);
    double[] out = new double[m * n];
    Gemm.dgemm(false, false, m, n, k, 1.0, dense(a), 0, k, dense(b), 0, n, 0.0, out, 0, n);
    return Tensor.wrap(out, m, n);
  }

  /** @return the Frobenius norm, accumulated in double */
  public static double frobenius(Tensor a) {
    double s = 0;
    for (double v : dense(a)) s += v * v;
    return Math.sqrt(s);
  }

  /** Averages a square row-major matrix with its transpose in place (removes rounding asymmetry). */
  static void symmetrizeInPlace(double[] m, int n) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (m[i * n + j] + m[j * n + i]);
        m[i * n + j] = v;
        m[j * n + i] = v;
      }
    }
  }

  private static void require2d(String op, Tensor t) {
    if (t.dim() != 2) throw new IllegalArgumentException(op + ": needs a matrix, got shape " + Shape.str(t.shape()));
  }

  /** @return the elements as a dense row-major double array (no copy for a dense float64 tensor) */
  static double[] dense(Tensor t) {
    if (t.dtype() == ansatz.autograd.DType.FLOAT64) return t.detach().copyIfNotDense().doubles();
    return t.toDoubleArray();
  }
}
