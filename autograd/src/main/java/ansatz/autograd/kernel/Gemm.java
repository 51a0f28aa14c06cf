package ansatz.autograd.kernel;

/**
 * General matrix multiply, BLAS style: {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>All matrices are row-major. op(A) is m x k and op(B) is k x n. Element {@code [i][p]} of
 * the <em>stored</em> A is {@code a[aOff + i*lda + p]}; if {@code transA}, op(A) is the
 * transpose of the stored matrix (which is then k x m). The same holds for B, and
 * {@code C[i][j] = c[cOff + i*ldc + j]}. C must not overlap A or B.
 *
 * <p>Conventions: {@code beta == 0} overwrites C (its old contents, even NaN, are ignored);
 * {@code alpha == 0} or {@code k == 0} does not read A or B and only scales C by beta.
 *
 * <p>Results are bitwise identical for any {@link Parallel#threads()} and from run to run on
 * the same machine and vector width: work is split over C only, never over k. They are not
 * bitwise equal to {@link GemmScalar}, which sums in a different order without FMA.
 *
 * <p>Dispatch: {@link GemmScalar} when {@link Simd#ENABLED} is false; an unpacked
 * register-tiled kernel for small or thin shapes (matrix-vector, a 10-column output layer);
 * otherwise the packed, cache-blocked, multithreaded kernel. The choice depends on the shape
 * only, never on the thread count.
 */
public final class Gemm {

  // Below this many multiply-adds packing does not pay for itself (measured: the unpacked
  // tiles match the packed path at 64^3 and win below).
  static final long SMALL_WORK = 64L * 64 * 64;

  private Gemm() {}

  /**
   * Float GEMM: {@code C = alpha * op(A) * op(B) + beta * C}; see the class comment for layout.
   *
   * @throws IllegalArgumentException if a size, offset or leading dimension is negative or too
   *     small, or an array is null or too short; the message names the argument
   */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    GemmArgs.check(transA, transB, m, n, k, a == null ? -1 : a.length, aOff, lda,
        b == null ? -1 : b.length, bOff, ldb, c == null ? -1 : c.length, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    if (alpha == 0f || k == 0) {
      scale(m, n, beta, c, cOff, ldc);
    } else if (!Simd.ENABLED) {
      GemmScalar.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
    } else if (small(m, n, k, SgemmMicro.MR, SgemmMicro.L)) {
      SgemmSmall.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
    } else {
      SgemmBlocked.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
    }
  }

  /**
   * Double GEMM: {@code C = alpha * op(A) * op(B) + beta * C}; see the class comment for layout.
   *
   * @throws IllegalArgumentException if a size, offset or leading dimension is negative or too
   *     small, or an array is null or too short; the message names the argument
   */
  public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
      double[] c, int cOff, int ldc) {
    GemmArgs.check(transA, transB, m, n, k, a == null ? -1 : a.length, aOff, lda,
        b == null ? -1 : b.length, bOff, ldb, c == null ? -1 : c.length, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    if (alpha == 0.0 || k == 0) {
      scale(m, n, beta, c, cOff, ldc);
    } else if (!Simd.ENABLED) {
      GemmScalar.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
    } else if (small(m, n, k, DgemmMicro.MR, DgemmMicro.L)) {
      DgemmSmall.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
    } else {
      DgemmBlocked.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
    }
  }

  // Thin shapes waste most of an MR x 2-vector tile (m <= MR, n < 2 vectors: matrix-vector, a
  // 10-class output layer), and a short k cannot amortize the packing.
  private static boolean small(int m, int n, int k, int mr, int lanes) {
    return (long) m * n * k <= SMALL_WORK || m <= mr || n < 2 * lanes || k < 8;
  }

  private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
      }
    }
  }

  private static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[ci + j] = beta == 0.0 ? 0.0 : beta * c[ci + j];
      }
    }
  }
}
