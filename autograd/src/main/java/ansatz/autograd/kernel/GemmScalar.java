package ansatz.autograd.kernel;

/**
 * Scalar reference twin of {@link Gemm}: plain triple loops, simple and obviously correct.
 *
 * <p>Same contract as {@link Gemm} (including argument checks, {@code beta == 0} ignoring the
 * old contents of C, and {@code alpha == 0} not reading A or B). Used by the tests as the
 * reference and by {@link Gemm} when {@link Simd#ENABLED} is false.
 */
public final class GemmScalar {

  private GemmScalar() {}

  /** Float GEMM; see {@link Gemm#sgemm}. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    GemmArgs.check(transA, transB, m, n, k, a == null ? -1 : a.length, aOff, lda,
        b == null ? -1 : b.length, bOff, ldb, c == null ? -1 : c.length, cOff, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = 0f;
        if (alpha != 0f) {
          for (int p = 0; p < k; p++) {
            float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            sum += aip * bpj;
          }
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
      }
    }
  }

  /** Double GEMM; see {@link Gemm#dgemm}. */
  public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
      double[] c, int cOff, int ldc) {
    GemmArgs.check(transA, transB, m, n, k, a == null ? -1 : a.length, aOff, lda,
        b == null ? -1 : b.length, bOff, ldb, c == null ? -1 : c.length, cOff, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0.0;
        if (alpha != 0.0) {
          for (int p = 0; p < k; p++) {
            double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            sum += aip * bpj;
          }
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0.0 ? alpha * sum : alpha * sum + beta * c[ci];
      }
    }
  }
}
