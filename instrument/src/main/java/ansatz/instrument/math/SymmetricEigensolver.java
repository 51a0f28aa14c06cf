package ansatz.instrument.math;

/**
 * Eigendecomposition of a dense real symmetric matrix in three steps, the way LAPACK's dsyevd
 * does it: blocked Householder reduction to tridiagonal form ({@link HouseholderTridiagonal}),
 * divide and conquer on the tridiagonal ({@link TridiagonalEigen}), and the reflectors applied to
 * its eigenvectors in blocks. Almost all of the flops are GEMMs on the project's kernel, which is
 * what makes it faster than EJML's at the probes' sizes (784 and 1024: 2 to 3.6 times in wall time
 * on a busy 2-core machine, ansatz.bench.EigenTiming, run by bench/probe-overhead.sh) and than the
 * former tred2/tql2 pair (1.5 to 4.5 times: QL's rotations are scalar O(n^3) work, the merges here
 * are GEMMs). The tests check it against EJML.
 */
final class SymmetricEigensolver {
  /** Panel width of the reduction and of the blocked back-transformation. */
  static final int BLOCK = 32;
  /** Tridiagonal blocks up to this size are solved by QL. */
  static final int LEAF = 32;

  private SymmetricEigensolver() {}

  /**
   * @param a the n x n matrix, row-major, symmetric (only the lower triangle is read); not modified
   * @param values receives the eigenvalues, ascending
   * @return the eigenvectors as COLUMNS, row-major n x n (column k belongs to values[k])
   */
  static double[] decompose(double[] a, int n, double[] values) {
    return decompose(a, n, values, BLOCK, LEAF, false);
  }

  /**
   * {@link #decompose(double[], int, double[])} with the eigenvectors back-transformed in float32:
   * the reduction and the tridiagonal problem stay float64 (so the eigenvalues are as exact), and
   * the back-transformation, a third of the flops and all of them GEMM, runs at the float32 rate.
   * The vectors carry float rounding (about 1e-7 relative), which is what the AGOP of a float32
   * model carries anyway.
   *
   * @return the eigenvectors as COLUMNS, row-major n x n float32
   */
  static float[] decomposeFloatVectors(double[] a, int n, double[] values) {
    return (float[]) decompose(a, n, values, BLOCK, LEAF, false, true);
  }

  /**
   * {@link #decompose(double[], int, double[])} with the block sizes given (the tests use small
   * ones so that small matrices take every code path).
   *
   * @param forceQl solve the tridiagonal by QL instead of divide and conquer (the fallback)
   */
  static double[] decompose(double[] a, int n, double[] values, int block, int leaf, boolean forceQl) {
    return (double[]) decompose(a, n, values, block, leaf, forceQl, false);
  }

  // The loops below sit in small methods of their own rather than in decompose: the JIT compiles
  // small methods quickly, and the probes' first eigendecompositions run while it does.

  private static double maxAbsLower(double[] a, int n) {
    double max = 0;
    for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) max = Math.max(max, Math.abs(a[i * n + j]));
    return max;
  }

  private static double[] divided(double[] a, double scale) {
    double[] work = new double[a.length];
    for (int i = 0; i < work.length; i++) work[i] = a[i] / scale;
    return work;
  }

  /** @param floatVectors back-transform in float32 and return a {@code float[]} (else a {@code double[]}) */
  static Object decompose(double[] a, int n, double[] values, int block, int leaf, boolean forceQl, boolean floatVectors) {
    if (n == 0) return floatVectors ? new float[0] : new double[0];
    // Scale to max |entry| = 1: no overflow or underflow in the squares of the reduction and rotations.
    double max = maxAbsLower(a, n);
    double scale = max == 0 ? 1 : max;
    double[] work = divided(a, scale);
    HouseholderTridiagonal t = HouseholderTridiagonal.reduce(work, n, block);
    double[] z = null;
    if (!forceQl) {
      try {
        z = TridiagonalEigen.solve(t.diagonal(), t.offDiagonal(), n, values, leaf);
      } catch (IllegalStateException e) {
        z = null; // a merge failed its own checks: QL is slower but unconditionally reliable
      }
    }
    if (z == null) {
      System.arraycopy(t.diagonal(), 0, values, 0, n);
      z = TridiagonalQl.solve(values, t.offDiagonal().clone(), n);
    }
    for (int i = 0; i < n; i++) values[i] *= scale;
    if (!floatVectors) {
      t.applyQ(z, n);
      return z;
    }
    float[] zf = new float[n * n];
    Products.round(z, zf, n * n);
    t.applyQ(zf, n);
    return zf;
  }
}
