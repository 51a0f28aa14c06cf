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
    // No loops here, only calls: every loop sits in a small method of its own, which the JIT
    // compiles quickly and alone, while this driver (a few calls per merge) stays in the
    // baseline compiler. As one method with its loops, it took C2 half a second to compile
    // during the first probes of a run, on a 2-core machine that the probes had in use.
    int m1 = top.values.length, m2 = bottom.values.length, m = m1 + m2;
    double[] dv = new double[m];
    System.arraycopy(top.values, 0, dv, 0, m1);
    System.arraycopy(bottom.values, 0, dv, m1, m2);
    double[] z = rankOneVector(top.vectors, m1, bottom.vectors, m2, beta >= 0 ? 1 : -1);
    double rho = 2 * Math.abs(beta);
    double[] q = blockDiagonal(top.vectors, m1, bottom.vectors, m2);
    Deflation f = Deflation.of(dv, z, q, m, m1, rho);
    int k = f.kept;
    int[] keptSorted = Arrays.copyOf(f.keptColumns, k);
    sortBy(keptSorted, dv);
    double[] dk = gather(dv, keptSorted), zk = gather(z, keptSorted);
    requireAscending(dk);
    SecularEquation roots = SecularEquation.solve(dk, zk, rho);
    double[] u = roots.vectors(); // k x k, columns = vectors of the rank-one problem
    // New vectors for the kept roots: diag(Q1, Q2)[:, kept] u, the top and bottom halves separately
    // (a column that lives in one half only takes part in that half's product).
    double[] newVec = new double[m * Math.max(k, 1)];
    halfProduct(q, m, 0, m1, keptSorted, f.inTop, u, k, newVec);
    halfProduct(q, m, m1, m2, keptSorted, f.inBottom, u, k, newVec);
    return assemble(roots.values(), k, dv, f.deflatedColumns, f.deflated, q, newVec, m);
  }

  /** z = diag(Q1, Q2)^T u: Q1's last row and Q2's first row, scaled to unit norm (||u||^2 = 2). */
  private static double[] rankOneVector(double[] top, int m1, double[] bottom, int m2, double sign) {
    double invSqrt2 = 1 / Math.sqrt(2);
    double[] z = new double[m1 + m2];
    for (int j = 0; j < m1; j++) z[j] = top[(m1 - 1) * m1 + j] * invSqrt2;
    for (int j = 0; j < m2; j++) z[m1 + j] = sign * bottom[j] * invSqrt2;
    return z;
  }

  /** {@return diag(Q1, Q2), m x m row-major} */
  private static double[] blockDiagonal(double[] top, int m1, double[] bottom, int m2) {
    int m = m1 + m2;
    double[] q = new double[m * m];
    for (int r = 0; r < m1; r++) System.arraycopy(top, r * m1, q, r * m, m1);
    for (int r = 0; r < m2; r++) System.arraycopy(bottom, r * m2, q, (m1 + r) * m + m1, m2);
    return q;
  }

  /**
   * Deflation (LAPACK dlaed2), visiting d in ascending order: columns whose z component is
   * negligible are eigenvectors already, and of two columns with nearly equal d a rotation moves
   * all z weight onto one. Updates dv, z and q in place.
   */
  private static final class Deflation {
    final int[] keptColumns, deflatedColumns;
    final boolean[] inTop, inBottom; // which halves of column j are nonzero
    int kept, deflated;

    private Deflation(int m, int m1) {
      keptColumns = new int[m];
      deflatedColumns = new int[m];
      inTop = new boolean[m];
      inBottom = new boolean[m];
      for (int j = 0; j < m; j++) {
        inTop[j] = j < m1;
        inBottom[j] = j >= m1;
      }
    }

    static Deflation of(double[] dv, double[] z, double[] q, int m, int m1, double rho) {
      Deflation f = new Deflation(m, m1);
      int[] order = argsort(dv);
      double dmax = 0, zmax = 0;
      for (int j = 0; j < m; j++) {
        dmax = Math.max(dmax, Math.abs(dv[j]));
        zmax = Math.max(zmax, Math.abs(z[j]));
      }
      double tol = 8 * EPS * Math.max(dmax, zmax);
      int prev = -1;
      for (int t = 0; t < m; t++) {
        int j = order[t];
        if (rho * Math.abs(z[j]) <= tol) { // z_j ~ 0: (d_j, column j) is already an eigenpair
          f.deflatedColumns[f.deflated++] = j;
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
          boolean t1 = f.inTop[prev] || f.inTop[j], b1 = f.inBottom[prev] || f.inBottom[j];
          f.inTop[prev] = f.inTop[j] = t1;
          f.inBottom[prev] = f.inBottom[j] = b1;
          double dp = dv[prev] * c * c + dv[j] * s * s;
          dv[j] = dv[prev] * s * s + dv[j] * c * c;
          dv[prev] = dp;
          f.deflatedColumns[f.deflated++] = prev;
        } else {
          f.keptColumns[f.kept++] = prev;
        }
        prev = j;
      }
      if (prev >= 0) f.keptColumns[f.kept++] = prev;
      return f;
    }
  }

  private static double[] gather(double[] v, int[] idx) {
    double[] out = new double[idx.length];
    for (int i = 0; i < idx.length; i++) out[i] = v[idx[i]];
    return out;
  }

  /** The rank-one problem needs strictly ascending poles, which the deflation guarantees. */
  private static void requireAscending(double[] dk) {
    for (int i = 1; i < dk.length; i++) {
      if (!(dk[i] > dk[i - 1])) throw new IllegalStateException("divide and conquer: equal poles survived deflation");
    }
  }

  /** All eigenpairs in ascending order: the k roots (vectors in newVec, m x k) and the nd deflated columns of q. */
  private static Block assemble(double[] rootValues, int k, double[] dv, int[] deflated, int nd, double[] q, double[] newVec, int m) {
    double[] all = new double[m];
    int[] source = new int[m]; // >= 0: deflated column of q; < 0: -(root index) - 1
    for (int i = 0; i < k; i++) {
      all[i] = rootValues[i];
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
        copyColumn(q, m, src, vectors, m, p, m);
      } else {
        copyColumn(newVec, k, -src - 1, vectors, m, p, m);
      }
    }
    return new Block(values, vectors);
  }

  /** dst[:, dc] = src[:, sc] over {@code rows} rows (row-major, leading dimensions given). */
  private static void copyColumn(double[] src, int lds, int sc, double[] dst, int ldd, int dc, int rows) {
    for (int r = 0; r < rows; r++) dst[r * ldd + dc] = src[r * lds + sc];
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

  /**
   * Sorts the indices in place by key[index], stably: a bottom-up merge sort (runs of 1, 2, 4, ...
   * merged pairwise), the same order as any stable sort. Loops rather than recursion: the JIT
   * compiles a recursive sort slowly (it inlines it into itself), and a run's first probes wait.
   */
  private static void sortBy(int[] idx, double[] key) {
    int n = idx.length;
    int[] a = idx, b = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) mergeRuns(a, b, lo, Math.min(lo + width, n), Math.min(lo + 2 * width, n), key);
      int[] t = a;
      a = b;
      b = t;
    }
    if (a != idx) System.arraycopy(a, 0, idx, 0, n);
  }

  /** Merges the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi), the left run first on ties. */
  private static void mergeRuns(int[] src, int[] dst, int lo, int mid, int hi, double[] key) {
    int i = lo, j = mid, o = lo;
    while (i < mid && j < hi) dst[o++] = key[src[j]] < key[src[i]] ? src[j++] : src[i++];
    while (i < mid) dst[o++] = src[i++];
    while (j < hi) dst[o++] = src[j++];
  }
}
