package ansatz.instrument.math;

/**
 * Eigendecomposition of a dense real symmetric matrix: Householder reduction to tridiagonal form
 * followed by the implicit QL algorithm with Wilkinson-type shifts (the classic tred2/tql2 pair of
 * EISPACK, as in Golub and Van Loan section 8.3).
 *
 * <p>Why not EJML's: the probes decompose a 1000 x 1000 AGOP at every probe, and there the
 * memory layout decides the speed. Here the orthogonal factor is kept transposed (row j = vector
 * j), so every inner loop — the Householder updates, the accumulation of the reflectors and each
 * Givens rotation of the QL sweeps — runs over contiguous memory, which the JIT vectorizes. It is
 * several times faster than EJML's at that size; the tests check it against EJML.
 */
final class SymmetricEigensolver {
  private SymmetricEigensolver() {}

  /**
   * @param a the n x n matrix, row-major (only its lower triangle is read); not modified
   * @param values receives the eigenvalues, ascending
   * @return the eigenvectors as ROWS, row-major n x n (row k belongs to values[k])
   */
  static double[] decompose(double[] a, int n, double[] values) {
    // Scale to max |entry| = 1 so that the squares in the rotations cannot overflow.
    double max = 0;
    for (double v : a) max = Math.max(max, Math.abs(v));
    double unscale = max == 0 ? 1 : max;
    // w[j][k] = V[k][j]: the transposed working matrix, one array per row so that the JIT can
    // vectorize the row updates (it does not for two rows of one flat array).
    double[][] w = new double[n][n];
    // Work with the lower triangle as the algorithm's V[k][j] (k >= j) = w[j][k]: a is symmetric,
    // so reading the lower triangle into both halves makes the two views agree.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = a[i * n + j] / unscale;
        w[i][j] = v;
        w[j][i] = v;
      }
    }
    double[] d = new double[n], e = new double[n];
    tridiagonalize(w, n, d, e);
    ql(w, n, d, e);
    sort(w, n, d);
    for (int i = 0; i < n; i++) values[i] = d[i] * unscale;
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) System.arraycopy(w[i], 0, out, i * n, n);
    return out;
  }

  /** Householder reduction; on return w holds Q^T (rows are the columns of Q), d the diagonal, e the subdiagonal in e[1..]. */
  private static void tridiagonalize(double[][] w, int n, double[] d, double[] e) {
    for (int j = 0; j < n; j++) d[j] = w[j][n - 1];
    for (int i = n - 1; i > 0; i--) {
      double scale = 0, h = 0;
      for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = w[j][i - 1];
          w[j][i] = 0;
          w[i][j] = 0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) g = -g;
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) e[j] = 0;
        // e = A d on the leading i x i block (A's lower triangle is w[j*n + k], k >= j).
        for (int j = 0; j < i; j++) {
          f = d[j];
          w[i][j] = f;
          double[] row = w[j];
          g = e[j] + row[j] * f;
          for (int k = j + 1; k < i; k++) {
            double v = row[k];
            g += v * d[k];
            e[k] += v * f;
          }
          e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) e[j] -= hh * d[j];
        // Rank-2 update A -= d e^T + e d^T on the lower triangle.
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          double[] row = w[j];
          for (int k = j; k < i; k++) row[k] -= f * e[k] + g * d[k];
          d[j] = row[i - 1];
          row[i] = 0;
        }
      }
      d[i] = h;
    }
    // Accumulate the reflectors into Q (held transposed).
    for (int i = 0; i < n - 1; i++) {
      w[i][n - 1] = w[i][i];
      w[i][i] = 1;
      double h = d[i + 1];
      double[] vrow = w[i + 1];
      if (h != 0) {
        for (int k = 0; k <= i; k++) d[k] = vrow[k] / h;
        for (int j = 0; j <= i; j++) {
          double[] row = w[j];
          double g = 0;
          for (int k = 0; k <= i; k++) g += vrow[k] * row[k];
          for (int k = 0; k <= i; k++) row[k] -= g * d[k];
        }
      }
      for (int k = 0; k <= i; k++) vrow[k] = 0;
    }
    for (int j = 0; j < n; j++) {
      d[j] = w[j][n - 1];
      w[j][n - 1] = 0;
    }
    w[n - 1][n - 1] = 1;
    e[0] = 0;
  }

  /**
   * Implicit QL on the tridiagonal (d, e). The rotations depend on (d, e) only, so they are
   * recorded and applied to w afterwards in column blocks that stay in cache (and on two threads
   * when the pool is free), instead of sweeping the whole of w once per QL iteration.
   */
  private static void ql(double[][] w, int n, double[] d, double[] e) {
    Rotations rot = new Rotations(w, n);
    for (int i = 1; i < n; i++) e[i - 1] = e[i];
    e[n - 1] = 0;
    double f = 0, tst1 = 0;
    final double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int m = l;
      while (m < n && Math.abs(e[m]) > eps * tst1) m++;
      if (m == n) m = n - 1;
      if (m > l) {
        int iterations = 0;
        do {
          if (++iterations > 60 * n) throw new IllegalStateException("symmetric eigen: QL did not converge for eigenvalue " + l + " of " + n);
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.sqrt(p * p + 1);
          if (p < 0) r = -r;
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) d[i] -= h;
          f += h;
          p = d[m];
          double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
          for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.sqrt(p * p + e[i] * e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            rot.add(i, c, s);
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0;
    }
    rot.flush();
  }

  /** A buffer of Givens rotations on rows (i, i+1) of w, applied in order block by block. */
  private static final class Rotations {
    private static final int CAPACITY = 1 << 20;
    private static final int COLUMNS = 64; // a block of n x 64 doubles fits in L2 for n up to a few thousand
    private final double[][] w;
    private final int n;
    private final int[] row = new int[CAPACITY];
    private final double[] cos = new double[CAPACITY];
    private final double[] sin = new double[CAPACITY];
    private int size;

    Rotations(double[][] w, int n) {
      this.w = w;
      this.n = n;
    }

    void add(int i, double c, double s) {
      if (size == CAPACITY) flush();
      row[size] = i;
      cos[size] = c;
      sin[size] = s;
      size++;
    }

    void flush() {
      if (size == 0) return;
      int blocks = (n + COLUMNS - 1) / COLUMNS;
      ansatz.autograd.kernel.Parallel.forRange(blocks, 1, (lo, hi) -> {
        for (int b = lo; b < hi; b++) applyToColumns(b * COLUMNS, Math.min(n, (b + 1) * COLUMNS));
      });
      size = 0;
    }

    private void applyToColumns(int k0, int k1) {
      for (int r = 0; r < size; r++) {
        double[] a = w[row[r]], b = w[row[r] + 1];
        double c = cos[r], s = sin[r];
        for (int k = k0; k < k1; k++) {
          double x = a[k], y = b[k];
          b[k] = s * x + c * y;
          a[k] = c * x - s * y;
        }
      }
    }
  }

  /** Sorts eigenvalues ascending, moving their rows along. */
  private static void sort(double[][] w, int n, double[] d) {
    for (int i = 0; i < n - 1; i++) {
      int k = i;
      for (int j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
      if (k != i) {
        double p = d[k];
        d[k] = d[i];
        d[i] = p;
        double[] t = w[i];
        w[i] = w[k];
        w[k] = t;
      }
    }
  }
}
