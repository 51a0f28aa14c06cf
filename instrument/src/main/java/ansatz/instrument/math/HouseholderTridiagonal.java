package ansatz.instrument.math;

import ansatz.autograd.kernel.Dsymv;
import ansatz.autograd.kernel.Gemm;
import java.util.Arrays;

/**
 * Householder reduction of a dense symmetric matrix to tridiagonal form, A = Q T Q^T with
 * Q = H_0 H_1 ... H_{n-2} and H_i = I - tau_i v_i v_i^T (v_i zero up to index i, v_i[i+1] = 1).
 *
 * <p>Blocked as LAPACK's dsytrd/dlatrd (Golub and Van Loan 8.3.1 and 5.1.7): the reflectors of a
 * panel of {@code block} columns are built with one matrix-vector product each against the
 * not-yet-updated trailing matrix, corrected by the panel's earlier reflectors; the trailing matrix
 * is then updated once per panel, A -= V W^T + W V^T, as GEMMs. So half of the 4/3 n^3 flops run
 * in GEMM, the other half in matrix-vector products, and the matrix is swept once per panel
 * instead of twice per column. Only the lower triangle is read and kept up to date (as dsyr2k
 * does): the matrix-vector products ({@link Dsymv}) are bound by memory traffic, and the trailing
 * update, one GEMM [V W]^T [W V] with inner dimension 2 * block per row block, skips the blocks
 * above the diagonal, half of its flops.
 *
 * <p>{@link #applyQ} multiplies by Q with the reflectors in blocks of {@code 4 * block}, each as
 * I - Y T Y^T (the compact WY form, LAPACK's dlarft/dlarfb): again GEMMs only, and wider blocks
 * than the reduction's panels, so that the eigenvector matrix is swept fewer times.
 */
final class HouseholderTridiagonal {
  private final int n;
  private final double[] diag;
  private final double[] off;
  private final double[] reflectors; // row i holds v_i in columns i+1..n-1 (v_i[i+1] = 1)
  private final double[] tau;
  private final int block;

  private HouseholderTridiagonal(int n, double[] diag, double[] off, double[] reflectors, double[] tau, int block) {
    this.n = n;
    this.diag = diag;
    this.off = off;
    this.reflectors = reflectors;
    this.tau = tau;
    this.block = block;
  }

  /** @return T's diagonal (length n) */
  double[] diagonal() {
    return diag;
  }

  /** @return T's off-diagonal: entry i couples rows i and i+1 (length n, the last entry 0) */
  double[] offDiagonal() {
    return off;
  }

  /**
   * Reduces the symmetric matrix {@code a} (n x n row-major; only the lower triangle is read, and
   * the array is overwritten: it ends up holding the reflectors).
   *
   * @param block the panel width (1 gives the unblocked algorithm)
   */
  static HouseholderTridiagonal reduce(double[] a, int n, int block) {
    Reduction r = new Reduction(a, n, Math.max(1, block));
    // A driver of a few iterations per panel: the loops sit in Reduction's small methods, which
    // the JIT compiles quickly one by one (as one method, this took C2 about 0.2-0.7 s per
    // compilation during a run's first probes).
    for (int i0 = 0; i0 < n - 1; i0 += r.nb) {
      int steps = Math.min(r.nb, n - 1 - i0);
      r.startPanel(i0, steps);
      for (int j = 0; j < steps; j++) r.reflect(j);
      r.trailingUpdate();
    }
    if (n > 0) r.diag[n - 1] = a[(n - 1) * n + n - 1];
    return new HouseholderTridiagonal(n, r.diag, r.off, a, r.tau, r.nb);
  }

  /** The state of one {@link #reduce}: the matrix, the current panel's reflectors and their w's. */
  private static final class Reduction {
    final double[] a, diag, off, tau;
    final int n, nb;
    // The panel's reflectors v_p and their w_p, interleaved as rows: (v_p, w_p) at rows 2p, 2p+1 of
    // y and (w_p, v_p) of z, so that every sum of the form sum_p v_p w_p^T + w_p v_p^T is the one
    // product Y^T Z with inner dimension 2 * steps.
    final double[] y, z, u, ycol, wj, symvWork;
    int i0, steps, m, o; // panel start and width; its vectors cover global indices i0+1 .. n-1 (m of them, entry g at o + g)

    Reduction(double[] a, int n, int nb) {
      this.a = a;
      this.n = n;
      this.nb = nb;
      diag = new double[n];
      off = new double[n];
      tau = new double[n];
      int m0 = Math.max(0, n - 1);
      y = new double[2 * nb * m0];
      z = new double[2 * nb * m0];
      u = new double[2 * nb];
      ycol = new double[2 * nb];
      wj = new double[m0];
      symvWork = new double[Dsymv.workSize(n)];
    }

    void startPanel(int i0, int steps) {
      this.i0 = i0;
      this.steps = steps;
      m = n - i0 - 1;
      o = -i0 - 1;
      Arrays.fill(y, 0, 2 * steps * m, 0);
      Arrays.fill(z, 0, 2 * steps * m, 0);
      // Only the lower triangle is up to date: copy the panel's columns (from the diagonal down) into
      // its rows' upper parts, where the reflectors will be built and stored. Row by row, so that each
      // cache line of the columns is read once (a gather per column would read it once per column).
      for (int r = i0; r < n; r++) {
        int cols = Math.min(steps, r - i0 + 1);
        for (int jj = 0; jj < cols; jj++) a[(i0 + jj) * n + r] = a[r * n + i0 + jj];
      }
    }

    /** Builds the panel's reflector j (global column i0 + j) and its w. */
    void reflect(int j) {
      int i = i0 + j;
      int row = i * n;
      if (j > 0) {
        // Row i (from the diagonal on) receives the panel's earlier updates now: -= sum_q y_q[i] z_q.
        for (int q = 0; q < 2 * j; q++) ycol[q] = y[q * m + o + i];
        Gemm.dgemm(false, false, 1, n - i, 2 * j, -1.0, ycol, 0, 2 * j, z, o + i, m, 1.0, a, row + i, n);
      }
      diag[i] = a[row + i];
      int len = n - i - 1;
      double t = householder(a, row + i + 1, len);
      tau[i] = t;
      off[i] = a[row + i + 1]; // householder left beta there; the stored vector starts with 1
      a[row + i + 1] = 1;
      // v_j covers entries i+1.. : position j of its rows.
      System.arraycopy(a, row + i + 1, y, 2 * j * m + j, len);
      System.arraycopy(a, row + i + 1, z, (2 * j + 1) * m + j, len);
      if (t == 0) return; // H_i = I: its w is 0 (the rows were zeroed)
      // w = tau (A v - V (W^T v) - W (V^T v)) on indices i+1.., A the trailing matrix before this panel.
      Dsymv.lower(len, a, (i + 1) * n + i + 1, n, a, row + i + 1, wj, 0, symvWork);
      if (j > 0) {
        Gemm.dgemm(false, false, 2 * j, 1, len, 1.0, z, j, m, a, row + i + 1, 1, 0.0, u, 0, 1); // (w_p.v, v_p.v)
        Gemm.dgemm(false, false, 1, len, 2 * j, -1.0, u, 0, 2 * j, y, j, m, 1.0, wj, 0, len);
      }
      finishW(t, row + i + 1, len);
      System.arraycopy(wj, 0, y, (2 * j + 1) * m + j, len);
      System.arraycopy(wj, 0, z, 2 * j * m + j, len);
    }

    /** w = tau w - (tau^2 / 2) (w . v) v, v = a[at ..], the symmetric rank-two form's correction. */
    private void finishW(double t, int at, int len) {
      double dot = 0;
      for (int c = 0; c < len; c++) {
        wj[c] *= t;
        dot += wj[c] * a[at + c];
      }
      double alpha = -0.5 * t * dot;
      for (int c = 0; c < len; c++) wj[c] += alpha * a[at + c];
    }

    /**
     * Trailing update A -= sum_p v_p w_p^T + w_p v_p^T = Y^T Z on rows/columns i0+steps .. n-1, lower
     * triangle only: per row block, the columns up to its diagonal.
     */
    void trailingUpdate() {
      int start = i0 + steps, po = steps - 1;
      int rowBlock = 4 * nb;
      for (int r0 = start; r0 < n; r0 += rowBlock) {
        int rows = Math.min(rowBlock, n - r0);
        Gemm.dgemm(true, false, rows, r0 + rows - start, 2 * steps, -1.0, y, po + r0 - start, m, z, po, m, 1.0, a, r0 * n + start, n);
      }
    }
  }

  /**
   * LAPACK's dlarfg on x = a[at .. at+len): finds H = I - tau v v^T with H x = beta e_1. Leaves beta
   * in a[at] and v[1..] in a[at+1 ..] (v[0] = 1 implied).
   *
   * @return tau (0 when x[1..] is 0: H = I)
   */
  private static double householder(double[] a, int at, int len) {
    if (len <= 1) return 0;
    double sigma = 0;
    for (int c = 1; c < len; c++) sigma += a[at + c] * a[at + c];
    if (sigma == 0) return 0; // (also when the squares underflow: entries below 1e-154 of a matrix scaled to 1)
    double alpha = a[at];
    double norm = Math.sqrt(alpha * alpha + sigma);
    double beta = alpha <= 0 ? norm : -norm;
    double scale = 1 / (alpha - beta);
    for (int c = 1; c < len; c++) a[at + c] *= scale;
    a[at] = beta;
    return (beta - alpha) / beta;
  }

  /**
   * Overwrites z (n x cols, row-major, a {@code double[]} or a {@code float[]}) with Q z. Blocks of
   * reflectors are applied last to first, each as z -= Y (T (Y^T z)) on the rows it touches. A
   * {@code float[]} z is multiplied in float32 (the reflectors and T rounded to float once per
   * block): the GEMMs then run at twice the rate, for results good to float rounding.
   */
  void applyQ(Object z, int cols) {
    int nr = n - 1; // reflectors 0 .. n-2
    if (nr <= 0) return;
    boolean single = z instanceof float[];
    if (!single && !(z instanceof double[])) throw new IllegalArgumentException("applyQ: z must be a float[] or a double[]");
    int nb = 4 * block;
    double[] yd = new double[nb * nr], tm = new double[nb * nb], gram = new double[nb * nb];
    Object y = single ? new float[nb * nr] : yd, t = single ? new float[nb * nb] : tm;
    Object r1 = Products.alloc(single, nb * cols), r2 = Products.alloc(single, nb * cols);
    int firstBlock = ((nr - 1) / nb) * nb;
    for (int b0 = firstBlock; b0 >= 0; b0 -= nb) {
      int bs = Math.min(nb, nr - b0);
      int m = n - b0 - 1; // rows b0+1 .. n-1 of z
      // Y as rows: Y[p][g - b0 - 1] = v_{b0+p}[g], zero before v's leading 1.
      Arrays.fill(yd, 0, bs * m, 0);
      for (int p = 0; p < bs; p++) {
        int i = b0 + p;
        System.arraycopy(reflectors, i * n + i + 1, yd, p * m + p, n - i - 1);
      }
      // T upper triangular (forward, columnwise): T[j][j] = tau_j, T[0..j, j] = -tau_j T[0..j,0..j] (Y_{0..j}^T y_j),
      // the inner products Y_{0..j}^T y_j read off the Gram Y Y^T (one GEMM instead of bs^2/2 dot products),
      // both in float64 whatever the precision of z.
      Gemm.dgemm(false, true, bs, bs, m, 1.0, yd, 0, m, yd, 0, m, 0.0, gram, 0, bs);
      triangularFactor(tm, gram, b0, bs);
      if (single) {
        Products.round(yd, (float[]) y, bs * m);
        Products.round(tm, (float[]) t, bs * bs);
      }
      int zo = (b0 + 1) * cols;
      Products.gemm(false, false, bs, cols, m, 1.0, y, 0, m, z, zo, cols, 0.0, r1, 0, cols); // Y^T z
      Products.gemm(false, false, bs, cols, bs, 1.0, t, 0, bs, r1, 0, cols, 0.0, r2, 0, cols); // T (Y^T z)
      Products.gemm(true, false, m, cols, bs, -1.0, y, 0, m, r2, 0, cols, 1.0, z, zo, cols); // z -= Y (...)
    }
  }

  /** The block's T (bs x bs, upper triangular) from its reflectors' Gram (a method of its own: quick to compile). */
  private void triangularFactor(double[] tm, double[] gram, int b0, int bs) {
    Arrays.fill(tm, 0, bs * bs, 0);
    for (int j = 0; j < bs; j++) {
      double tj = tau[b0 + j];
      tm[j * bs + j] = tj;
      if (j == 0 || tj == 0) continue;
      for (int p = 0; p < j; p++) {
        double s = 0;
        for (int q = p; q < j; q++) s += tm[p * bs + q] * gram[q * bs + j];
        tm[p * bs + j] = -tj * s;
      }
    }
  }
}
