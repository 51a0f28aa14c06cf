package ansatz.autograd.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double GEMM without packing, for small products and thin shapes (matrix-vector, a handful of
 * rows) where packing would cost as much as the multiply.
 *
 * <p>Two forms, chosen by shape only:
 * <ul>
 *   <li>direct form (n at least one vector): {@link DgemmDirect} register tiles reading A and B
 *       in place; a transposed B is first copied into row-major order (k x n);
 *   <li>dot form (n below one vector, e.g. matrix-vector): C[i][j] is a dot product of A row i
 *       and B column j, vectorized along k, both made contiguous first.
 * </ul>
 * Each C element's arithmetic depends only on the shape, never on which thread computes its
 * row, and no lane reduction uses an unspecified order, so results are reproducible.
 */
final class DgemmSmall {

  private static final VectorSpecies<Double> F = DoubleVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  private static final ThreadLocal<DgemmSmall> CALLER = ThreadLocal.withInitial(DgemmSmall::new);
  private static final ThreadLocal<double[]> A_ROW = ThreadLocal.withInitial(() -> new double[64]);
  private static final ThreadLocal<double[]> LANES = ThreadLocal.withInitial(() -> new double[L]);
  private static final ThreadLocal<double[]> TAIL_B = ThreadLocal.withInitial(() -> new double[64]);
  private static final ThreadLocal<double[]> TILE = ThreadLocal.withInitial(() -> new double[4 * L]);

  private double[] bCopy = new double[64]; // op(B) row-major (direct) or B^T (dot form)

  private boolean transA, transB;
  private int n, k;
  private double alpha, beta;
  private double[] a, b, c;
  private int aOff, lda, bOff, ldb, cOff, ldc;
  private final Parallel.IntRangeBody rows = this::rows;

  private DgemmSmall() {}

  /** Arguments already checked, m, n, k > 0 and alpha != 0. */
  static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
      double[] c, int cOff, int ldc) {
    DgemmSmall w = CALLER.get();
    w.transA = transA;
    w.transB = transB;
    w.n = n;
    w.k = k;
    w.alpha = alpha;
    w.beta = beta;
    w.a = a;
    w.aOff = aOff;
    w.lda = lda;
    w.b = b;
    w.bOff = bOff;
    w.ldb = ldb;
    w.c = c;
    w.cOff = cOff;
    w.ldc = ldc;
    try {
      if (w.directForm() == transB) {
        w.copyB(); // direct form wants B rows contiguous, dot form wants B columns contiguous
      }
      long rowFlops = 2L * n * k;
      Parallel.forRange(m, (int) Math.min(m, Math.max(1, Parallel.minTaskFlops() / rowFlops)),
          w.rows);
    } finally {
      w.a = w.b = w.c = null;
    }
  }

  private boolean directForm() {
    return n >= L;
  }

  // Copies the stored B transposed: bCopy[x*rows + y] = stored[y][x]. For the direct form this
  // turns a transposed B into op(B) row-major (k x n); for the dot form it turns a plain B into
  // its columns, each contiguous (n x k).
  private void copyB() {
    int rows = transB ? n : k, cols = transB ? k : n;
    if (bCopy.length < n * k) {
      bCopy = new double[n * k];
    }
    for (int y = 0; y < rows; y++) {
      int src = bOff + y * ldb;
      for (int x = 0; x < cols; x++) {
        bCopy[x * rows + y] = b[src + x];
      }
    }
  }

  private void rows(int i0, int i1) {
    if (directForm()) {
      int ars = transA ? 1 : lda, aps = transA ? lda : 1;
      double[] tailB = TAIL_B.get();
      if (tailB.length < k * L) {
        tailB = new double[k * L];
        TAIL_B.set(tailB);
      }
      if (transB) {
        DgemmDirect.rows(i0, i1, n, k, a, aOff, ars, aps, bCopy, 0, n, c, cOff, ldc, alpha,
            beta, tailB, TILE.get());
      } else {
        DgemmDirect.rows(i0, i1, n, k, a, aOff, ars, aps, b, bOff, ldb, c, cOff, ldc, alpha,
            beta, tailB, TILE.get());
      }
      return;
    }
    double[] aRow = a;
    int aStart = 0;
    if (transA) {
      aRow = A_ROW.get();
      if (aRow.length < k) {
        aRow = new double[k];
        A_ROW.set(aRow);
      }
    }
    double[] lanes = LANES.get();
    double[] bCols = transB ? b : bCopy;
    int bStart = transB ? bOff : 0;
    int bStride = transB ? ldb : k;
    for (int i = i0; i < i1; i++) {
      if (transA) {
        for (int p = 0; p < k; p++) {
          aRow[p] = a[aOff + p * lda + i];
        }
      } else {
        aStart = aOff + i * lda;
      }
      int ci = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        double s = dot(aRow, aStart, bCols, bStart + j * bStride, k, lanes);
        write(c, ci + j, s, alpha, beta);
      }
    }
  }

  private static void write(double[] c, int ci, double sum, double alpha, double beta) {
    double y = sum * alpha;
    c[ci] = beta != 0.0 ? y + c[ci] * beta : y;
  }

  /**
   * Dot product of x[xi..xi+len) and y[yi..yi+len): four vector partial sums over p, combined
   * in a fixed order, then the lanes added left to right (not reduceLanes, whose order is
   * unspecified), then the scalar tail.
   */
  static double dot(double[] x, int xi, double[] y, int yi, int len, double[] lanes) {
    int p = 0;
    DoubleVector s0 = DoubleVector.zero(F);
    if (len >= L) {
      DoubleVector s1 = s0, s2 = s0, s3 = s0;
      for (; p + 4 * L <= len; p += 4 * L) {
        s0 = DoubleVector.fromArray(F, x, xi + p).fma(DoubleVector.fromArray(F, y, yi + p), s0);
        s1 = DoubleVector.fromArray(F, x, xi + p + L)
            .fma(DoubleVector.fromArray(F, y, yi + p + L), s1);
        s2 = DoubleVector.fromArray(F, x, xi + p + 2 * L)
            .fma(DoubleVector.fromArray(F, y, yi + p + 2 * L), s2);
        s3 = DoubleVector.fromArray(F, x, xi + p + 3 * L)
            .fma(DoubleVector.fromArray(F, y, yi + p + 3 * L), s3);
      }
      for (; p + L <= len; p += L) {
        s0 = DoubleVector.fromArray(F, x, xi + p).fma(DoubleVector.fromArray(F, y, yi + p), s0);
      }
      s0 = s0.add(s1).add(s2.add(s3));
    }
    s0.intoArray(lanes, 0);
    double s = 0.0;
    for (int l = 0; l < L; l++) {
      s += lanes[l];
    }
    for (; p < len; p++) {
      s = Math.fma(x[xi + p], y[yi + p], s);
    }
    return s;
  }
}
