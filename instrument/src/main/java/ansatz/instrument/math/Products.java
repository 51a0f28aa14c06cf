package ansatz.instrument.math;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;

/**
 * The matrix products the probes need (W^T W, W^T K W, Frobenius norms), on the project's GEMM.
 * Inputs may be any dtype or layout; results are fresh dense float64 tensors. The products run in
 * float64, or in float32 where the caller asks for it: the probes of a float32 model do, since
 * their K and W carry float32 rounding anyway.
 */
public final class Products {
  private Products() {}

  /** {@return W^T W for a (rows, cols) matrix W: the (cols, cols) Gram of its columns, in float64} */
  public static Tensor gram(Tensor w) {
    return gram(w, DType.FLOAT64);
  }

  /**
   * {@return W^T W as a float64 tensor, multiplied in {@code precision}: FLOAT32 rounds W to float
   *     and runs the float GEMM (twice as fast; relative error about 1e-6), FLOAT64 is exact to
   *     double rounding}
   */
  public static Tensor gram(Tensor w, DType precision) {
    require2d("gram", w);
    int r = w.size(0), c = w.size(1);
    Object a = dense(w, precision);
    Object out = alloc(precision, c * c);
    symmetricProduct(true, false, c, r, 1.0, a, c, a, c, out, SYMMETRIC_BLOCK);
    return Tensor.wrap(toDoubles(out), c, c);
  }

  /**
   * {@return scale * W^T K W for W (rows, cols) and symmetric K (rows, rows): the congruence that
   *     turns the pre-activation matrix K into the input-side AGOP; float64}
   */
  public static Tensor congruence(Tensor w, Tensor k, double scale) {
    return congruence(w, k, scale, DType.FLOAT64);
  }

  /**
   * {@link #congruence(Tensor, Tensor, double)} multiplied in {@code precision} (see
   * {@link #gram(Tensor, DType)}); the result is float64 either way.
   */
  public static Tensor congruence(Tensor w, Tensor k, double scale, DType precision) {
    require2d("congruence", w);
    int r = w.size(0), c = w.size(1);
    if (k.dim() != 2 || k.size(0) != r || k.size(1) != r) {
      throw new IllegalArgumentException("congruence: K must be " + r + " x " + r + " for W of shape " + Shape.str(w.shape())
          + ", got " + Shape.str(k.shape()));
    }
    Object a = dense(w, precision), kk = dense(k, precision);
    Object kw = alloc(precision, r * c);
    gemm(false, false, r, c, r, 1.0, kk, 0, r, a, 0, c, kw, 0, c);
    Object out = alloc(precision, c * c);
    symmetricProduct(true, false, c, r, scale, a, c, kw, c, out, SYMMETRIC_BLOCK);
    return Tensor.wrap(toDoubles(out), c, c);
  }

  /** Row blocks of {@link #symmetricProduct}: big enough for the GEMM kernel, small enough to skip most of the upper triangle. */
  static final int SYMMETRIC_BLOCK = 128;

  /**
   * out (n x n, row-major) = alpha op(A) op(B) for a product the caller knows to be symmetric
   * (W^T W, W^T K W, V D V^T): only the blocks on and below the diagonal are multiplied (about half
   * the flops of a full GEMM), then the lower triangle is mirrored, so the result is exactly
   * symmetric. op(A) is n x k, op(B) is k x n; lda and ldb are the row strides of A and B as stored.
   */
  static void symmetricProduct(boolean transA, boolean transB, int n, int k, double alpha, double[] a, int lda, double[] b, int ldb, double[] out) {
    symmetricProduct(transA, transB, n, k, alpha, a, lda, b, ldb, out, SYMMETRIC_BLOCK);
  }

  /**
   * {@link #symmetricProduct} with a given row block (tests use small ones), on float[] or
   * double[] arrays (all three of one type).
   */
  static void symmetricProduct(boolean transA, boolean transB, int n, int k, double alpha, Object a, int lda, Object b, int ldb, Object out,
                               int block) {
    for (int i0 = 0; i0 < n; i0 += block) {
      int rows = Math.min(block, n - i0), cols = i0 + rows;
      // Rows i0.. of op(A): row i0 of A, or column i0 of A when transposed. Columns 0.. of op(B) start at 0 either way.
      int aOff = transA ? i0 : i0 * lda;
      gemm(transA, transB, rows, cols, k, alpha, a, aOff, lda, b, 0, ldb, out, i0 * n, n);
    }
    if (out instanceof double[] o) mirrorLower(o, n, block);
    else mirrorLower((float[]) out, n, block);
  }

  /** Side of the square tiles {@link #mirrorLower} goes by, so that the column it writes stays in L1. */
  private static final int MIRROR_TILE = 32;

  /**
   * Fills the upper triangle from the lower; inside a diagonal block of {@code block} rows, where
   * both were computed, averages them (rounding asymmetry). Goes tile by tile: row by row over the
   * whole matrix, the column writes touched a thousand cache lines per row and missed L1.
   */
  private static void mirrorLower(double[] out, int n, int block) {
    lowerSegments(n, block, (i, from, copyEnd, end) -> {
      int j = from;
      for (; j < copyEnd; j++) out[j * n + i] = out[i * n + j];
      for (; j < end; j++) out[i * n + j] = out[j * n + i] = 0.5 * (out[i * n + j] + out[j * n + i]);
    });
  }

  /** {@link #mirrorLower(double[], int, int)} for float (the average taken in double, then rounded once). */
  private static void mirrorLower(float[] out, int n, int block) {
    lowerSegments(n, block, (i, from, copyEnd, end) -> {
      int j = from;
      for (; j < copyEnd; j++) out[j * n + i] = out[i * n + j];
      for (; j < end; j++) out[i * n + j] = out[j * n + i] = (float) (0.5 * ((double) out[i * n + j] + out[j * n + i]));
    });
  }

  /** A piece of row i below the diagonal: columns [from, copyEnd) are copied up, [copyEnd, end) averaged. */
  private interface RowSegment {
    void visit(int i, int from, int copyEnd, int end);
  }

  /**
   * Visits the strictly lower triangle by {@value #MIRROR_TILE}-square tiles, row by row in each,
   * split where row i's diagonal block (of {@code block} rows) begins.
   */
  private static void lowerSegments(int n, int block, RowSegment segment) {
    for (int i0 = 0; i0 < n; i0 += MIRROR_TILE) {
      int i1 = Math.min(n, i0 + MIRROR_TILE);
      for (int j0 = 0; j0 <= i0; j0 += MIRROR_TILE) {
        for (int i = i0; i < i1; i++) {
          int blockStart = (i / block) * block, end = Math.min(j0 + MIRROR_TILE, i);
          segment.visit(i, j0, Math.min(end, blockStart), end);
        }
      }
    }
  }

  /** C = alpha op(A) op(B) (beta 0) on float[] or double[] arrays. */
  private static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff, int lda, Object b, int bOff,
                           int ldb, Object c, int cOff, int ldc) {
    gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 0.0, c, cOff, ldc);
  }

  /** C = alpha op(A) op(B) + beta C on float[] arrays (float32 GEMM) or double[] arrays (float64 GEMM). */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff, int lda, Object b, int bOff,
                   int ldb, double beta, Object c, int cOff, int ldc) {
    if (a instanceof double[] ad) {
      Gemm.dgemm(transA, transB, m, n, k, alpha, ad, aOff, lda, (double[]) b, bOff, ldb, beta, (double[]) c, cOff, ldc);
    } else {
      Gemm.sgemm(transA, transB, m, n, k, (float) alpha, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, (float) beta, (float[]) c, cOff, ldc);
    }
  }

  private static Object alloc(DType precision, int n) {
    return alloc(precision == DType.FLOAT32, n);
  }

  /** {@return a zeroed float[n] (single) or double[n]} */
  static Object alloc(boolean single, int n) {
    return single ? new float[n] : new double[n];
  }

  /** to[i] = (float) from[i] for i &lt; n. */
  static void round(double[] from, float[] to, int n) {
    for (int i = 0; i < n; i++) to[i] = (float) from[i];
  }

  private static Object dense(Tensor t, DType precision) {
    if (precision == DType.FLOAT32) return values32(t);
    if (precision != DType.FLOAT64) throw new IllegalArgumentException("Products: precision must be FLOAT32 or FLOAT64, got " + precision);
    return values64(t);
  }

  static double[] toDoubles(Object a) {
    if (a instanceof double[] d) return d;
    float[] f = (float[]) a;
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i];
    return d;
  }

  /** {@return A B for float64-convertible matrices (m, k) and (k, n)} */
  public static Tensor matmul(Tensor a, Tensor b) {
    require2d("matmul", a);
    require2d("matmul", b);
    if (a.size(1) != b.size(0)) {
      throw new IllegalArgumentException("matmul: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()) + " do not chain");
    }
    int m = a.size(0), k = a.size(1), n = b.size(1);
    double[] out = new double[m * n];
    Gemm.dgemm(false, false, m, n, k, 1.0, values64(a), 0, k, values64(b), 0, n, 0.0, out, 0, n);
    return Tensor.wrap(out, m, n);
  }

  /** {@return the Frobenius norm, accumulated in double} */
  public static double frobenius(Tensor a) {
    double s = 0;
    for (double v : values64(a)) s += v * v;
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

  /**
   * {@return the elements of a float32 or float64 tensor as a dense row-major double array: the
   *     tensor's own array when it is a dense float64 tensor (read it, do not write it), else a
   *     fresh copy}
   *
   * <p>The probes convert their weights this way rather than by the tensors' generic conversion:
   * training never converts to float64, so the first probe would have the JIT recompile that
   * generic code for a new type mid-run, while a loop this small compiles at once.
   */
  public static double[] values64(Tensor t) {
    Tensor d = t.detach().copyIfNotDense();
    if (d.dtype() == DType.FLOAT64) return d.doubles();
    if (d.dtype() != DType.FLOAT32) return d.toDoubleArray();
    return toDoubles(d.floats());
  }

  /**
   * {@return the elements as a dense row-major float array: the tensor's own array when it is a
   *     dense float32 tensor (read it, do not write it), else a fresh copy, float64 rounded to the
   *     nearest float (by a loop of its own, as {@link #values64})}
   */
  public static float[] values32(Tensor t) {
    Tensor d = t.detach().copyIfNotDense();
    if (d.dtype() == DType.FLOAT32) return d.floats();
    if (d.dtype() != DType.FLOAT64) return d.to(DType.FLOAT32).copyIfNotDense().floats();
    double[] v = d.doubles();
    float[] f = new float[v.length];
    round(v, f, v.length);
    return f;
  }

  /** {@return a float64 copy of a float32 or float64 tensor, same shape (see {@link #values64})} */
  public static Tensor float64Copy(Tensor t) {
    double[] v = values64(t);
    return Tensor.wrap(t.dtype() == DType.FLOAT64 ? v.clone() : v, t.shape());
  }
}
