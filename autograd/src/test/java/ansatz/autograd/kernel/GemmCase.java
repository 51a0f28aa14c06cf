package ansatz.autograd.kernel;

import java.util.Random;

/**
 * One randomized GEMM call for the tests: shape, flags, offsets, padded leading dimensions and
 * data, all derived from a seed so a failing case can be replayed.
 *
 * <p>Everything in the arrays that is not part of a matrix (offset prefix, ld padding, tail) is
 * a sentinel: NaN in A and B, so a kernel that reads outside its matrix poisons C, and
 * {@link #C_SENTINEL} in C, so a kernel that writes outside it is caught by
 * {@link #untouchedOutsideC}.
 */
record GemmCase(boolean transA, boolean transB, int m, int n, int k, double alpha, double beta,
    boolean nanC, int aOff, int lda, int bOff, int ldb, int cOff, int ldc,
    double[] a, double[] b, double[] c) {

  static final double C_SENTINEL = 12345.0;

  /** Random offsets (0..5), ld padding (0..3), alpha, and one of four beta modes. */
  static GemmCase random(boolean transA, boolean transB, int m, int n, int k, long seed) {
    Random r = new Random(seed);
    int aRows = transA ? k : m, aCols = transA ? m : k;
    int bRows = transB ? n : k, bCols = transB ? k : n;
    int aOff = r.nextInt(6), bOff = r.nextInt(6), cOff = r.nextInt(6);
    int lda = aCols + r.nextInt(4), ldb = bCols + r.nextInt(4), ldc = n + r.nextInt(4);
    double alpha = r.nextInt(4) == 0 ? 1.0 : (r.nextDouble() * 4 - 2);
    int mode = r.nextInt(4);
    double beta = switch (mode) {
      case 0, 1 -> 0.0; // mode 0: C full of NaN, which beta == 0 must ignore
      case 2 -> 1.0;
      default -> r.nextDouble() * 4 - 2;
    };
    double[] a = matrix(r, aOff, lda, aRows, aCols, Double.NaN, false);
    double[] b = matrix(r, bOff, ldb, bRows, bCols, Double.NaN, false);
    double[] c = matrix(r, cOff, ldc, m, n, C_SENTINEL, mode == 0);
    return new GemmCase(transA, transB, m, n, k, alpha, beta, mode == 0, aOff, lda, bOff, ldb,
        cOff, ldc, a, b, c);
  }

  // Values uniform in [-1, 1] inside the matrix, `fill` everywhere else, plus a short tail.
  private static double[] matrix(Random r, int off, int ld, int rows, int cols, double fill,
      boolean nanInside) {
    double[] x = new double[off + rows * ld + r.nextInt(3)];
    java.util.Arrays.fill(x, fill);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        x[off + i * ld + j] = nanInside ? Double.NaN : r.nextDouble() * 2 - 1;
      }
    }
    return x;
  }

  static float[] toFloat(double[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) x[i];
    }
    return y;
  }

  float[] aF() {
    return toFloat(a);
  }

  float[] bF() {
    return toFloat(b);
  }

  float[] cF() {
    return toFloat(c);
  }

  double opA(float[] x, int i, int p) {
    return transA ? x[aOff + p * lda + i] : x[aOff + i * lda + p];
  }

  double opB(float[] x, int p, int j) {
    return transB ? x[bOff + j * ldb + p] : x[bOff + p * ldb + j];
  }

  double opA(double[] x, int i, int p) {
    return transA ? x[aOff + p * lda + i] : x[aOff + i * lda + p];
  }

  double opB(double[] x, int p, int j) {
    return transB ? x[bOff + j * ldb + p] : x[bOff + p * ldb + j];
  }

  /** {@code |alpha| * sum_p |A[i][p] B[p][j]| + |beta * C[i][j]|}: the scale of the error. */
  double magnitude(int i, int j) {
    double s = 0;
    for (int p = 0; p < k; p++) {
      s += Math.abs(opA(a, i, p) * opB(b, p, j));
    }
    double cij = c[cOff + i * ldc + j];
    return Math.abs(alpha) * s + (beta == 0 ? 0 : Math.abs(beta * cij));
  }

  /** The exact-ish product from the float inputs, accumulated in double. */
  double float64Reference(float[] a0, float[] b0, float[] c0, int i, int j) {
    double s = 0;
    for (int p = 0; p < k; p++) {
      s += opA(a0, i, p) * opB(b0, p, j);
    }
    float alphaF = (float) alpha, betaF = (float) beta;
    return alphaF * s + (betaF == 0f ? 0 : betaF * (double) c0[cOff + i * ldc + j]);
  }

  /** Null if every element of c outside the m x n matrix still holds the sentinel. */
  String untouchedOutsideC(float[] cAfter) {
    for (int x = 0; x < cAfter.length; x++) {
      int rel = x - cOff;
      boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
      if (!inside && cAfter[x] != (float) C_SENTINEL) {
        return "c[" + x + "] outside C was overwritten with " + cAfter[x];
      }
    }
    return null;
  }

  String untouchedOutsideC(double[] cAfter) {
    for (int x = 0; x < cAfter.length; x++) {
      int rel = x - cOff;
      boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
      if (!inside && cAfter[x] != C_SENTINEL) {
        return "c[" + x + "] outside C was overwritten with " + cAfter[x];
      }
    }
    return null;
  }

  void sgemm(float[] a0, float[] b0, float[] c0) {
    Gemm.sgemm(transA, transB, m, n, k, (float) alpha, a0, aOff, lda, b0, bOff, ldb,
        (float) beta, c0, cOff, ldc);
  }

  void sgemmScalar(float[] a0, float[] b0, float[] c0) {
    GemmScalar.sgemm(transA, transB, m, n, k, (float) alpha, a0, aOff, lda, b0, bOff, ldb,
        (float) beta, c0, cOff, ldc);
  }

  void dgemm(double[] c0) {
    Gemm.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c0, cOff, ldc);
  }

  void dgemmScalar(double[] c0) {
    GemmScalar.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c0,
        cOff, ldc);
  }

  @Override
  public String toString() {
    return "GemmCase[transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n
        + ", k=" + k + ", alpha=" + alpha + ", beta=" + beta + (nanC ? " (C is NaN)" : "")
        + ", aOff=" + aOff + ", lda=" + lda + ", bOff=" + bOff + ", ldb=" + ldb + ", cOff="
        + cOff + ", ldc=" + ldc + "]";
  }
}
