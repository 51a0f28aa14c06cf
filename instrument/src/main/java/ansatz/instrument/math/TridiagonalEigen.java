package ansatz.instrument.math;

import ansatz.autograd.kernel.Gemm;
import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and conquer,
 * as LAPACK's dstedc (Golub and Van Loan 8.4.4): tear T into two halves plus a rank-one
 * correction, solve the halves recursively ({@link TridiagonalQl} below {@code leaf} rows), and
 * merge: the eigenvalues of D + rho z z^T are the roots of the secular equation
 * ({@link SecularEquation}), and the new eigenvectors are the old ones times the rank-one
 * problem's, one GEMM per half. Deflation (tiny z components, nearly equal d's) removes most of
 * the work on the graded spectra of AGOPs, and recomputing z from the computed roots (Gu and
 * Eisenstat) keeps the vectors orthogonal to working precision without re-orthogonalization.
 */
final class TridiagonalEigen {
  private static final double EPS = Math.ulp(1.0);

  private TridiagonalEigen() {}

  /** One solved block: ascending eigenvalues and the eigenvectors as columns (m x m row-major). */
  private record Block(double[] values, double[] vectors) {}

  /**
   * @param d the diagonal (n); not modified
   * @param e the off-diagonal, e[i] coupling i and i+1; not modified
   * @param values receives the eigenvalues, ascending
   * @param leaf blocks of at most this many rows are solved by QL
   * @return the eigenvectors as columns, n x n row-major
   * @throws IllegalStateException if a secular equation produced no usable root (the caller then
   *     falls back to QL)
   */
  static double[] solve(double[] d, double[] e, int n, double[] values, int leaf) {
    double[] dw = Arrays.copyOf(d, n);
    Block b = solve(dw, e, 0, n, Math.max(2, leaf));
    System.arraycopy(b.values, 0, values, 0, n);
    return b.vectors;
  }

  private static Block solve(double[] d, double[] e, int lo, int hi, int leaf) {
    int m = hi - lo;
    if (m <= leaf) {
      double[] dd = Arrays.copyOfRange(d, lo, hi), ee = Arrays.copyOfRange(e, lo, Math.max(lo, hi - 1));
      double[] z = TridiagonalQl.solve(dd, ee, m);
      return new Block(dd, z);
    }
    int mid = lo + m / 2;
    double beta = e[mid - 1];
    // T = diag(T1 - |beta| e_last e_last^T, T2 - |beta| e_1 e_1^T) + |beta| u u^T, u = e_last + sign(beta) e_1.
    d[mid - 1] -= Math.abs(beta);
    d[mid] -= Math.abs(beta);
    Block top = solve(d, e, lo, mid, leaf);
    Block bottom = solve(d, e, mid, hi, leaf);
    return merge(top, bottom, beta);
  }

  /** The eigen-decomposition of diag(Q1, Q2) (diag(L1, L2) + |beta| z z^T) diag(Q1, Q2)^T. */
  private static Block merge(Block top, Block bottom, double beta) {
    int m1 = top.values.length, m2 = bottom.values.length, m = m1 + m2;
    double[] dv = new double[m], z = new double[m];
    System.arraycopy(top.values, 0, dv, 0, m1);
    System.arraycopy(bottom.values, 0, dv, m1, m2);
    double sign = beta >= 0 ? 1 : -1, invSqrt2 = 1 / Math.sqrt(2);
    // z = diag(Q1, Q2)^T u: Q1's last row and Q2's first row, scaled to unit norm (||u||^2 = 2).
    for (int j = 0; j < m1; j++) z[j] = top.vectors[(m1 - 1) * m1 + j] * invSqrt2;
    for (int j = 0; j < m2; j++) z[m1 + j] = sign * bottom.vectors[j] * invSqrt2;
    double rho = 2 * Math.abs(beta);

    // The merged vector matrix diag(Q1, Q2); deflation rotates some of its columns.
    double[] q = new double[m * m];
    for (int r = 0; r < m1; r++) System.arraycopy(top.vectors, r * m1, q, r * m, m1);
    for (int r = 0; r < m2; r++) System.arraycopy(bottom.vectors, r * m2, q, (m1 + r) * m + m1, m2);
    boolean[] inTop = new boolean[m], inBottom = new boolean[m]; // which halves of column j are nonzero
    for (int j = 0; j < m; j++) {
      inTop[j] = j < m1;
      inBottom[j] = j >= m1;
    }

    // Deflation (LAPACK dlaed2), visiting d in ascending order.
    int[] order = argsort(dv);
    double dmax = 0, zmax = 0;
    for (int j = 0; j < m; j++) {
      dmax = Math.max(dmax, Math.abs(dv[j]));
      zmax = Math.max(zmax, Math.abs(z[j]));
    }
    double tol = 8 * EPS * Math.max(dmax, zmax);
    int[] kept = new int[m], deflated = new int[m];
    int k = 0, nd = 0, prev = -1;
    for (int t = 0; t < m; t++) {
      int j = order[t];
      if (rho * Math.abs(z[j]) <= tol) { // z_j ~ 0: (d_j, column j) is already an eigenpair
        deflated[nd++] = j;
        continue;
      }
      if (prev < 0) {
        prev = j;
        continue;
      }
      double s = z[prev], c = z[j], tau = Math.hypot(c, s);
      c /= tau;
      s = -s / tau;
      if (Math.abs((dv[j] - dv[prev]) * c * s) <= tol) {
        // d_prev ~ d_j: a rotation of the two columns moves all of their z weight onto j.
        z[j] = tau;
        z[prev] = 0;
        rotateColumns(q, m, prev, j, c, s);
        boolean t1 = inTop[prev] || inTop[j], b1 = inBottom[prev] || inBottom[j];
        inTop[prev] = inTop[j] = t1;
        inBottom[prev] = inBottom[j] = b1;
        double dp = dv[prev] * c * c + dv[j] * s * s;
        dv[j] = dv[prev] * s * s + dv[j] * c * c;
        dv[prev] = dp;
        deflated[nd++] = prev;
      } else {
        kept[k++] = prev;
      }
      prev = j;
    }
    if (prev >= 0) kept[k++] = prev;

    // The rank-one problem on the kept columns (d strictly ascending after the deflation).
    double[] dk = new double[k], zk = new double[k];
    int[] keptSorted = Arrays.copyOf(kept, k);
    sortBy(keptSorted, dv);
    for (int i = 0; i < k; i++) {
      dk[i] = dv[keptSorted[i]];
      zk[i] = z[keptSorted[i]];
    }
    for (int i = 1; i < k; i++) {
      if (!(dk[i] > dk[i - 1])) throw new IllegalStateException("divide and conquer: equal poles survived deflation");
    }
    SecularEquation roots = SecularEquation.solve(dk, zk, rho);
    double[] u = roots.vectors(); // k x k, columns = vectors of the rank-one problem

    // New vectors for the kept roots: diag(Q1, Q2)[:, kept] u, the top and bottom halves separately
    // (a column that lives in one half only takes part in that half's product).
    double[] newVec = new double[m * Math.max(k, 1)];
    halfProduct(q, m, 0, m1, keptSorted, inTop, u, k, newVec);
    halfProduct(q, m, m1, m2, keptSorted, inBottom, u, k, newVec);

    // Assemble all eigenpairs in ascending order.
    double[] all = new double[m];
    int[] source = new int[m]; // >= 0: deflated column of q; < 0: -(root index) - 1
    for (int i = 0; i < k; i++) {
      all[i] = roots.values()[i];
      source[i] = -i - 1;
    }
    for (int i = 0; i < nd; i++) {
      all[k + i] = dv[deflated[i]];
      source[k + i] = deflated[i];
    }
    int[] byValue = argsort(all);
    double[] values = new double[m], vectors = new double[m * m];
    for (int p = 0; p < m; p++) {
      int s = byValue[p];
      values[p] = all[s];
      int src = source[s];
      if (src >= 0) {
        for (int r = 0; r < m; r++) vectors[r * m + p] = q[r * m + src];
      } else {
        int i = -src - 1;
        for (int r = 0; r < m; r++) vectors[r * m + p] = newVec[r * k + i];
      }
    }
    return new Block(values, vectors);
  }

  /** Rows [r0, r0 + rows) of out (m x k) = q[r0.., cols with flag] u[those cols' rows, :]. */
  private static void halfProduct(double[] q, int m, int r0, int rows, int[] cols, boolean[] flag, double[] u, int k, double[] out) {
    int kc = 0;
    for (int i = 0; i < k; i++) if (flag[cols[i]]) kc++;
    if (kc == 0 || rows == 0 || k == 0) return;
    double[] a = new double[rows * kc], b = new double[kc * k];
    int c = 0;
    for (int i = 0; i < k; i++) {
      if (!flag[cols[i]]) continue;
      int col = cols[i];
      for (int r = 0; r < rows; r++) a[r * kc + c] = q[(r0 + r) * m + col];
      System.arraycopy(u, i * k, b, c * k, k);
      c++;
    }
    Gemm.dgemm(false, false, rows, k, kc, 1.0, a, 0, kc, b, 0, k, 0.0, out, r0 * k, k);
  }

  private static void rotateColumns(double[] q, int m, int p, int j, double c, double s) {
    for (int r = 0; r < m; r++) {
      double x = q[r * m + p], y = q[r * m + j];
      q[r * m + p] = c * x + s * y;
      q[r * m + j] = c * y - s * x;
    }
  }

  /** @return the indices of v in ascending order of value (stable) */
  static int[] argsort(double[] v) {
    int[] idx = new int[v.length];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    sortBy(idx, v);
    return idx;
  }

  /** Sorts the indices in place by key[index], stably (insertion merge sort on boxed-free ints). */
  private static void sortBy(int[] idx, double[] key) {
    int[] tmp = new int[idx.length];
    mergeSort(idx, tmp, 0, idx.length, key);
  }

  private static void mergeSort(int[] a, int[] tmp, int lo, int hi, double[] key) {
    if (hi - lo < 2) return;
    int mid = (lo + hi) >>> 1;
    mergeSort(a, tmp, lo, mid, key);
    mergeSort(a, tmp, mid, hi, key);
    int i = lo, j = mid, o = lo;
    while (i < mid && j < hi) tmp[o++] = key[a[j]] < key[a[i]] ? a[j++] : a[i++];
    while (i < mid) tmp[o++] = a[i++];
    while (j < hi) tmp[o++] = a[j++];
    System.arraycopy(tmp, lo, a, lo, hi - lo);
  }
}
