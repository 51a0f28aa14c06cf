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
 * is then updated once per panel, A -= V W^T + W V^T, as two GEMMs. So half of the 4/3 n^3 flops
 * run in GEMM, the other half in matrix-vector products (also on {@link Gemm}, vectorized), and
 * the matrix is swept once per panel instead of twice per column. The matrix-vector products read
 * only the lower triangle ({@link Dsymv}): they are bound by memory traffic.
 *
 * <p>{@link #applyQ} multiplies by Q with the reflectors in blocks, each as I - Y T Y^T (the
 * compact WY form, LAPACK's dlarft/dlarfb): again GEMMs only.
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
   * Reduces the symmetric matrix {@code a} (n x n row-major, both triangles; overwritten: it ends up
   * holding the reflectors).
   *
   * @param block the panel width (1 gives the unblocked algorithm)
   */
  static HouseholderTridiagonal reduce(double[] a, int n, int block) {
    double[] diag = new double[n], off = new double[n], tau = new double[n];
    int nb = Math.max(1, block);
    int m0 = Math.max(0, n - 1);
    double[] v = new double[nb * m0], w = new double[nb * m0]; // the panel's reflectors and W, rows
    double[] t1 = new double[nb], t2 = new double[nb];
    double[] symvWork = new double[Dsymv.workSize(n)];
    for (int i0 = 0; i0 < n - 1; i0 += nb) {
      int steps = Math.min(nb, n - 1 - i0);
      int m = n - i0 - 1; // panel vectors cover global indices i0+1 .. n-1 (position g - i0 - 1)
      Arrays.fill(v, 0, steps * m, 0);
      Arrays.fill(w, 0, steps * m, 0);
      for (int j = 0; j < steps; j++) {
        int i = i0 + j;
        int row = i * n;
        // Row i (from the diagonal on) receives the panel's earlier updates now.
        for (int p = 0; p < j; p++) {
          int o = p * m - i0 - 1; // v[o + g] is entry g of reflector p
          double vi = v[o + i], wi = w[o + i];
          for (int c = i; c < n; c++) a[row + c] -= vi * w[o + c] + wi * v[o + c];
        }
        diag[i] = a[row + i];
        int len = n - i - 1;
        double t = householder(a, row + i + 1, len);
        tau[i] = t;
        off[i] = a[row + i + 1]; // householder left beta there; the stored vector starts with 1
        a[row + i + 1] = 1;
        System.arraycopy(a, row + i + 1, v, j * m + j, len);
        if (t == 0) {
          // H_i = I: its w is 0 (v was already copied, w stays zero).
          continue;
        }
        // w = tau (A v - V^T (W v) - W^T (V v)) on indices i+1.., A the trailing matrix before this panel.
        int wo = j * m + j;
        Dsymv.lower(len, a, (i + 1) * n + i + 1, n, a, row + i + 1, w, wo, symvWork);
        if (j > 0) {
          Gemm.dgemm(false, false, j, 1, len, 1.0, w, j, m, a, row + i + 1, 1, 0.0, t1, 0, 1); // W v
          Gemm.dgemm(false, false, j, 1, len, 1.0, v, j, m, a, row + i + 1, 1, 0.0, t2, 0, 1); // V v
          Gemm.dgemm(true, false, len, 1, j, -1.0, v, j, m, t1, 0, 1, 1.0, w, wo, 1);
          Gemm.dgemm(true, false, len, 1, j, -1.0, w, j, m, t2, 0, 1, 1.0, w, wo, 1);
        }
        double dot = 0;
        for (int c = 0; c < len; c++) {
          w[wo + c] *= t;
          dot += w[wo + c] * v[wo + c];
        }
        double alpha = -0.5 * t * dot;
        for (int c = 0; c < len; c++) w[wo + c] += alpha * v[wo + c];
      }
      // Trailing update A -= V^T W + W^T V on rows/columns i0+steps .. n-1 (rows of V, W are vectors).
      int start = i0 + steps, mt = n - start, po = steps - 1;
      Gemm.dgemm(true, false, mt, mt, steps, -1.0, v, po, m, w, po, m, 1.0, a, start * n + start, n);
      Gemm.dgemm(true, false, mt, mt, steps, -1.0, w, po, m, v, po, m, 1.0, a, start * n + start, n);
    }
    if (n > 0) diag[n - 1] = a[(n - 1) * n + n - 1];
    return new HouseholderTridiagonal(n, diag, off, a, tau, nb);
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
   * Overwrites z (n x cols, row-major) with Q z. Blocks of reflectors are applied last to first,
   * each as z -= Y (T (Y^T z)) on the rows it touches.
   */
  void applyQ(double[] z, int cols) {
    int nr = n - 1; // reflectors 0 .. n-2
    if (nr <= 0) return;
    int nb = block;
    double[] y = new double[nb * nr], tm = new double[nb * nb], r1 = new double[nb * cols], r2 = new double[nb * cols];
    int firstBlock = ((nr - 1) / nb) * nb;
    for (int b0 = firstBlock; b0 >= 0; b0 -= nb) {
      int bs = Math.min(nb, nr - b0);
      int m = n - b0 - 1; // rows b0+1 .. n-1 of z
      // Y as rows: Y[p][g - b0 - 1] = v_{b0+p}[g], zero before v's leading 1.
      Arrays.fill(y, 0, bs * m, 0);
      for (int p = 0; p < bs; p++) {
        int i = b0 + p;
        System.arraycopy(reflectors, i * n + i + 1, y, p * m + p, n - i - 1);
      }
      // T upper triangular (forward, columnwise): T[j][j] = tau_j, T[0..j, j] = -tau_j T[0..j,0..j] (Y_{0..j}^T y_j).
      Arrays.fill(tm, 0, bs * bs, 0);
      for (int j = 0; j < bs; j++) {
        double tj = tau[b0 + j];
        tm[j * bs + j] = tj;
        if (j == 0 || tj == 0) continue;
        for (int p = 0; p < j; p++) {
          double s = 0;
          for (int c = j; c < m; c++) s += y[p * m + c] * y[j * m + c];
          r1[p] = -tj * s;
        }
        for (int p = 0; p < j; p++) {
          double s = 0;
          for (int q = p; q < j; q++) s += tm[p * bs + q] * r1[q];
          tm[p * bs + j] = s;
        }
      }
      int zo = (b0 + 1) * cols;
      Gemm.dgemm(false, false, bs, cols, m, 1.0, y, 0, m, z, zo, cols, 0.0, r1, 0, cols); // Y^T z
      Gemm.dgemm(false, false, bs, cols, bs, 1.0, tm, 0, bs, r1, 0, cols, 0.0, r2, 0, cols); // T (Y^T z)
      Gemm.dgemm(true, false, m, cols, bs, -1.0, y, 0, m, r2, 0, cols, 1.0, z, zo, cols); // z -= Y (...)
    }
  }
}
