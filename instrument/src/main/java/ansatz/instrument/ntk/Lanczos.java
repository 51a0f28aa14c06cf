package ansatz.instrument.ntk;

import ansatz.autograd.Rng;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.instrument.math.Matrices;

/**
 * The k largest eigenpairs of an explicit symmetric matrix by the Lanczos method with full
 * reorthogonalization (every new Krylov vector is made orthogonal to all earlier ones, twice, so
 * the basis stays orthonormal to rounding and no ghost copies of converged eigenvalues appear).
 *
 * <p>After each step the tridiagonal matrix T_m is diagonalized; the Ritz pair (theta, Q y) has
 * residual norm beta_m |y_m| exactly, and the iteration stops when that is at most
 * {@code tol * |theta_max|} for each of the k largest Ritz values (or when the Krylov space fills
 * the whole space, which makes the answer exact). The start vector is a seeded Gaussian, so results
 * are deterministic.
 *
 * <p>Repeated eigenvalues: a single Krylov sequence sees an exactly repeated eigenvalue once, and
 * then breaks down (it has found an invariant subspace). On breakdown the method restarts from a
 * fresh random vector orthogonal to the basis while fewer than k values are known or while the last
 * sequence still produced one of the k largest values (at most k + 1 sequences), which recovers the
 * copies in the usual cases (e.g. the identity). A copy whose fresh sequence starts with a Rayleigh
 * quotient below the k-th value can still be missed; {@link Matrices#symmetricEigen} is the dense
 * check.
 */
public final class Lanczos {
  /** Default relative residual tolerance. */
  public static final double DEFAULT_TOL = 1e-10;
  /** Default seed of the start vector. */
  public static final long DEFAULT_SEED = 0x5eed_1a2c05L;

  private Lanczos() {}

  /** {@return the k largest eigenpairs of a square symmetric tensor (read as float64)} */
  public static TopEigen top(Tensor symmetric, int k) {
    if (symmetric.dim() != 2 || symmetric.size(0) != symmetric.size(1)) {
      throw new IllegalArgumentException("Lanczos.top: needs a square matrix, got shape " + Shape.str(symmetric.shape()));
    }
    return top(symmetric.toDoubleArray(), symmetric.size(0), k, DEFAULT_TOL, DEFAULT_SEED);
  }

  /** {@return the k largest eigenpairs of the row-major N x N symmetric matrix {@code a}} */
  public static TopEigen top(double[] a, int size, int k) {
    return top(a, size, k, DEFAULT_TOL, DEFAULT_SEED);
  }

  /**
   * @param a row-major N x N symmetric matrix (not checked for symmetry; only read)
   * @param size N
   * @param k how many of the largest eigenpairs, 1 &lt;= k &lt;= N
   * @param tol relative residual tolerance (&gt; 0)
   * @param seed seed of the start vector
   */
  public static TopEigen top(double[] a, int size, int k, double tol, long seed) {
    if (size <= 0 || a.length != (long) size * size) {
      throw new IllegalArgumentException("Lanczos.top: " + a.length + " values do not make a " + size + " x " + size + " matrix");
    }
    if (k < 1 || k > size) throw new IllegalArgumentException("Lanczos.top: k = " + k + " must be in [1, " + size + "]");
    if (!(tol > 0)) throw new IllegalArgumentException("Lanczos.top: tol must be > 0, got " + tol);
    for (double v : a) if (!Double.isFinite(v)) throw new IllegalArgumentException("Lanczos.top: the matrix has a non-finite entry");
    double frobenius = 0;
    for (double v : a) frobenius += v * v;
    frobenius = Math.sqrt(frobenius);
    double[][] q = new double[size][];
    double[] alpha = new double[size], beta = new double[size];
    Rng rng = new Rng(seed);
    q[0] = freshVector(rng, q, 0, size);
    int m = 0;
    int blocks = 1, blockStart = 0;
    while (true) {
      double[] w = multiply(a, size, q[m]);
      alpha[m] = dot(q[m], w);
      orthogonalize(w, q, m + 1);
      double b = Math.sqrt(dot(w, w));
      m++;
      if (m == size) break;
      if (b <= 1e-12 * frobenius) {
        // An invariant subspace: its Ritz pairs are exact. Restart from a fresh orthogonal vector
        // while fewer than k values are known, or while the last sequence still reached the top k
        // (a new copy of a repeated eigenvalue may follow); at most k + 1 sequences.
        boolean more = m < k || (blocks <= k && lastBlockReachesTop(alpha, beta, blockStart, m, k, tol));
        if (!more) break;
        beta[m - 1] = 0;
        q[m] = freshVector(rng, q, m, size);
        if (q[m] == null) break; // the basis already spans everything numerically
        blocks++;
        blockStart = m;
        continue;
      }
      // Diagonalizing T_m costs O(m^3): check every step while m is small, then every m/8 steps.
      boolean check = m >= k && (m <= 64 || m % Math.max(1, m / 8) == 0);
      if (check && converged(tridiagonalEigen(alpha, beta, m), m, k, b, tol)) break;
      beta[m - 1] = b;
      for (int i = 0; i < size; i++) w[i] /= b;
      q[m] = w;
    }
    Matrices.Eigen ritz = tridiagonalEigen(alpha, beta, m);
    // Ritz vectors Q y for the k largest Ritz values (ascending order in ritz: take from the end).
    int kk = Math.min(k, m);
    double[] values = new double[kk];
    double[] vec = new double[size * kk];
    double[] y = ritz.vectors().toDoubleArray();
    for (int j = 0; j < kk; j++) {
      int col = m - 1 - j;
      values[j] = ritz.values()[col];
      for (int t = 0; t < m; t++) {
        double c = y[t * m + col];
        double[] qt = q[t];
        for (int i = 0; i < size; i++) vec[i * kk + j] += c * qt[i];
      }
    }
    double maxResidual = 0;
    for (int j = 0; j < kk; j++) {
      double[] v = new double[size];
      for (int i = 0; i < size; i++) v[i] = vec[i * kk + j];
      double[] av = multiply(a, size, v);
      double r = 0;
      for (int i = 0; i < size; i++) r += (av[i] - values[j] * v[i]) * (av[i] - values[j] * v[i]);
      maxResidual = Math.max(maxResidual, Math.sqrt(r));
    }
    if (kk < k) {
      throw new IllegalStateException("Lanczos.top: found only " + kk + " of " + k + " eigenpairs (numerical rank of the Krylov space)");
    }
    return new TopEigen(values, Tensor.wrap(vec, size, kk), m, maxResidual);
  }

  /** Residual of Ritz pair j is beta_m |y_{m-1, j}|; all of the k largest must be small. */
  private static boolean converged(Matrices.Eigen ritz, int m, int k, double b, double tol) {
    double[] y = ritz.vectors().toDoubleArray();
    double top = 0;
    for (double v : ritz.values()) top = Math.max(top, Math.abs(v));
    for (int j = 0; j < k; j++) {
      int col = m - 1 - j;
      if (b * Math.abs(y[(m - 1) * m + col]) > tol * top) return false;
    }
    return true;
  }

  /** Whether the largest Ritz value of the last Krylov sequence (rows from..m-1) is among the k largest overall. */
  private static boolean lastBlockReachesTop(double[] alpha, double[] beta, int from, int m, int k, double tol) {
    double[] all = tridiagonalEigen(alpha, beta, 0, m).values();
    double[] last = tridiagonalEigen(alpha, beta, from, m).values();
    double kth = all[m - k], top = Math.max(Math.abs(all[0]), Math.abs(all[m - 1]));
    return last[last.length - 1] >= kth - tol * top;
  }

  private static Matrices.Eigen tridiagonalEigen(double[] alpha, double[] beta, int m) {
    return tridiagonalEigen(alpha, beta, 0, m);
  }

  /** Eigen of the tridiagonal matrix with diagonal alpha[from..to-1] and off-diagonal beta[from..to-2]. */
  private static Matrices.Eigen tridiagonalEigen(double[] alpha, double[] beta, int from, int to) {
    int m = to - from;
    double[] t = new double[m * m];
    for (int i = 0; i < m; i++) {
      t[i * m + i] = alpha[from + i];
      if (i + 1 < m) {
        t[i * m + i + 1] = beta[from + i];
        t[(i + 1) * m + i] = beta[from + i];
      }
    }
    return Matrices.symmetricEigen(Tensor.wrap(t, m, m));
  }

  /** A random unit vector orthogonal to q[0..m-1], or null if none is left numerically. */
  private static double[] freshVector(Rng rng, double[][] q, int m, int size) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) v[i] = rng.nextGaussian();
    double before = Math.sqrt(dot(v, v));
    orthogonalize(v, q, m);
    double norm = Math.sqrt(dot(v, v));
    if (norm <= 1e-8 * before) return null;
    for (int i = 0; i < size; i++) v[i] /= norm;
    return v;
  }

  /** Classical Gram-Schmidt against q[0..m-1], twice ("twice is enough", Kahan/Parlett). */
  private static void orthogonalize(double[] w, double[][] q, int m) {
    for (int pass = 0; pass < 2; pass++) {
      for (int t = 0; t < m; t++) {
        double c = dot(q[t], w);
        double[] qt = q[t];
        for (int i = 0; i < w.length; i++) w[i] -= c * qt[i];
      }
    }
  }

  private static double[] multiply(double[] a, int size, double[] x) {
    double[] y = new double[size];
    for (int i = 0; i < size; i++) {
      double s = 0;
      int r = i * size;
      for (int j = 0; j < size; j++) s += a[r + j] * x[j];
      y[i] = s;
    }
    return y;
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
}
