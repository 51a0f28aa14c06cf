package ansatz.instrument.math;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL algorithm with
 * Wilkinson-type shifts (EISPACK's tql2; Golub and Van Loan 8.3). O(n^3) scalar rotations, so it
 * serves the small blocks at the leaves of {@link TridiagonalEigen}'s divide and conquer, and is its
 * fallback should a merge ever fail.
 */
final class TridiagonalQl {
  private TridiagonalQl() {}

  /**
   * @param d the diagonal (n), overwritten with the eigenvalues, ascending
   * @param e the off-diagonal, e[i] coupling i and i+1 (at least n - 1 entries; destroyed)
   * @return the eigenvectors as columns, n x n row-major (column k belongs to d[k])
   * @throws IllegalStateException if QL does not converge (not seen on finite input)
   */
  static double[] solve(double[] d, double[] e, int n) {
    // The rotations act on rows of the transposed vector matrix: contiguous, so the JIT vectorizes them.
    double[][] w = new double[n][n];
    for (int i = 0; i < n; i++) w[i][i] = 1;
    double[] off = new double[n];
    System.arraycopy(e, 0, off, 0, Math.max(0, n - 1));
    double f = 0, tst1 = 0;
    final double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(off[l]));
      int m = l;
      while (m < n - 1 && Math.abs(off[m]) > eps * tst1) m++;
      if (m > l) {
        int iterations = 0;
        do {
          if (++iterations > 60) throw new IllegalStateException("tridiagonal QL did not converge for eigenvalue " + l + " of " + n);
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * off[l]);
          double r = Math.sqrt(p * p + 1);
          if (p < 0) r = -r;
          d[l] = off[l] / (p + r);
          d[l + 1] = off[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) d[i] -= h;
          f += h;
          p = d[m];
          double c = 1, c2 = 1, c3 = 1, el1 = off[l + 1], s = 0, s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * off[i];
            h = c * p;
            r = Math.sqrt(p * p + off[i] * off[i]);
            off[i + 1] = s * r;
            s = off[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            double[] a = w[i], b = w[i + 1];
            for (int k = 0; k < n; k++) {
              double x = a[k], y = b[k];
              b[k] = s * x + c * y;
              a[k] = c * x - s * y;
            }
          }
          p = -s * s2 * c3 * el1 * off[l] / dl1;
          off[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(off[l]) > eps * tst1);
      }
      d[l] += f;
      off[l] = 0;
    }
    // Sort ascending (selection sort: n is small here) and transpose rows into columns.
    for (int i = 0; i < n - 1; i++) {
      int k = i;
      for (int j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
      if (k != i) {
        double t = d[k];
        d[k] = d[i];
        d[i] = t;
        double[] r = w[i];
        w[i] = w[k];
        w[k] = r;
      }
    }
    double[] z = new double[n * n];
    for (int k = 0; k < n; k++) for (int r = 0; r < n; r++) z[r * n + k] = w[k][r];
    return z;
  }
}
