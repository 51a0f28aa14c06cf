package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = A x for a symmetric float64 matrix that reads only the lower triangle, each entry once
 * (LAPACK's dsymv with uplo = 'L'): row i gives y_i += A[i, 0..i] . x[0..i] and, from the same
 * loads, y[0..i) += A[i, 0..i) x_i. A full matrix-vector product reads twice as much memory, and
 * for matrices beyond the caches memory is what limits it (the Householder tridiagonal reduction
 * does one such product per column).
 *
 * <p>Rows are cut into {@value #BLOCKS} blocks of about equal area, fixed by n alone. Blocks run in
 * parallel; each adds its row-wise contributions into a buffer of its own, and y is summed from the
 * buffers in block order. So the result does not depend on the thread count. The vector twin's
 * row dot products add lane-wise, so the twins agree to rounding, not bitwise; their updates of
 * the other entries are the same fused multiply-adds in the same order. The lanes are added left
 * to right, not by {@code reduceLanes}, whose order is unspecified: its compiled form and the
 * interpreter's differed in the last bits, so a probe's eigenvalues depended on whether the JIT
 * had compiled this yet.
 */
public final class Dsymv {
  /** Row blocks (of equal area) that run in parallel. */
  static final int BLOCKS = 8;

  private Dsymv() {}

  /**
   * y[yo .. yo+n) = A x for the n x n matrix at {@code a[off]} (row stride {@code lda}), of which
   * only the entries on and below the diagonal are read, and x[xo .. xo+n).
   *
   * @param work scratch of at least {@link #workSize(int)} doubles (overwritten)
   */
  public static void lower(int n, double[] a, int off, int lda, double[] x, int xo, double[] y, int yo, double[] work) {
    if (n <= 0) return;
    if (lda < n || off < 0 || (long) off + (long) (n - 1) * lda + n > a.length || xo < 0 || xo + n > x.length || yo < 0 || yo + n > y.length
        || work.length < workSize(n)) {
      throw new IllegalArgumentException("Dsymv.lower: n = " + n + ", lda = " + lda + " and the offsets do not fit arrays of " + a.length + ", "
          + x.length + ", " + y.length + " and work " + work.length);
    }
    int[] starts = blockStarts(n);
    Parallel.forRange(BLOCKS, 1, (from, to) -> {
      for (int b = from; b < to; b++) {
        int r0 = starts[b], r1 = starts[b + 1];
        int po = b * n;
        java.util.Arrays.fill(work, po, po + r1, 0.0);
        if (Simd.ENABLED) Vector.rows(r0, r1, a, off, lda, x, xo, y, yo, work, po);
        else rowsScalar(r0, r1, a, off, lda, x, xo, y, yo, work, po);
      }
    });
    for (int i = 0; i < n; i++) {
      double s = y[yo + i];
      for (int b = 0; b < BLOCKS; b++) if (starts[b + 1] > i) s += work[b * n + i];
      y[yo + i] = s;
    }
  }

  /** {@return the scratch size {@link #lower} needs for order n} */
  public static int workSize(int n) {
    return BLOCKS * n;
  }

  /** Block b covers rows [starts[b], starts[b+1]): the lower triangle up to row r has area ~ r^2 / 2. */
  static int[] blockStarts(int n) {
    int[] s = new int[BLOCKS + 1];
    for (int b = 1; b < BLOCKS; b++) s[b] = Math.max(s[b - 1], (int) Math.round(n * Math.sqrt((double) b / BLOCKS)));
    s[BLOCKS] = n;
    return s;
  }

  // ---- scalar twin ----

  /** Rows r0 .. r1-1: y_i = A[i, 0..i] . x, and partial[j] += A[i, j] x_i for j < i. */
  static void rowsScalar(int r0, int r1, double[] a, int off, int lda, double[] x, int xo, double[] y, int yo, double[] partial, int po) {
    for (int i = r0; i < r1; i++) {
      int row = off + i * lda;
      double xi = x[xo + i], dot = 0;
      for (int j = 0; j < i; j++) {
        double aij = a[row + j];
        dot = Math.fma(aij, x[xo + j], dot);
        partial[po + j] = Math.fma(aij, xi, partial[po + j]);
      }
      y[yo + i] = Math.fma(a[row + i], xi, dot);
    }
  }

  /** The Vector API twin; a nested class so that nothing loads the vector module when SIMD is off. */
  static final class Vector {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private Vector() {}

    static void rows(int r0, int r1, double[] a, int off, int lda, double[] x, int xo, double[] y, int yo, double[] partial, int po) {
      int step = D.length();
      double[] lanes = new double[step];
      for (int i = r0; i < r1; i++) {
        int row = off + i * lda, end = D.loopBound(i), j = 0;
        double xi = x[xo + i];
        DoubleVector xiv = DoubleVector.broadcast(D, xi), acc = DoubleVector.zero(D);
        for (; j < end; j += step) {
          DoubleVector av = DoubleVector.fromArray(D, a, row + j);
          acc = av.fma(DoubleVector.fromArray(D, x, xo + j), acc);
          av.fma(xiv, DoubleVector.fromArray(D, partial, po + j)).intoArray(partial, po + j);
        }
        acc.intoArray(lanes, 0);
        double dot = 0;
        for (int l = 0; l < step; l++) dot += lanes[l];
        for (; j < i; j++) {
          double aij = a[row + j];
          dot = Math.fma(aij, x[xo + j], dot);
          partial[po + j] = Math.fma(aij, xi, partial[po + j]);
        }
        y[yo + i] = Math.fma(a[row + i], xi, dot);
      }
    }
  }
}
