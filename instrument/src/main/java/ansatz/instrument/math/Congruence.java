package ansatz.instrument.math;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;

/**
 * A symmetric c x c matrix held in the factored form X = P^T Q P, with P (r x c) and Q (r x r)
 * symmetric, so that sums, Frobenius inner products and correlations of such matrices cost
 * O(r^2 c) instead of O(c^2) memory and O(c^3) time. Every matrix of the NFA has this form with
 * r = the layer's output count: W^T W (P = W, Q = I), W^T K W (Q = K), and AGOP^alpha
 * (P = K^{1/2} W, Q = (P P^T)^{alpha-1} on its range). It is how the probes handle layers with
 * few rows and many columns (a classifier head on 12544 features) without forming c x c matrices.
 *
 * <p>Identities used: sum(X) = (P 1)^T Q (P 1); &lt;P^T Q P, R^T S R&gt;_F = tr(Q (P R^T) S (R P^T)).
 */
public final class Congruence {
  private final int r;
  private final int c;
  private final double[] p;
  private final double[] q;

  private Congruence(int r, int c, double[] p, double[] q) {
    this.r = r;
    this.c = c;
    this.p = p;
    this.q = q;
  }

  /** {@return X = P^T Q P (Q is symmetrized)} */
  public static Congruence of(Tensor p, Tensor q) {
    if (p.dim() != 2) throw new IllegalArgumentException("Congruence: P must be a matrix, got shape " + Shape.str(p.shape()));
    int r = p.size(0), c = p.size(1);
    if (q.dim() != 2 || q.size(0) != r || q.size(1) != r) {
      throw new IllegalArgumentException("Congruence: Q must be " + r + " x " + r + " for P of shape " + Shape.str(p.shape()) + ", got " + Shape.str(q.shape()));
    }
    double[] qq = q.toDoubleArray();
    Products.symmetrizeInPlace(qq, r);
    return new Congruence(r, c, p.toDoubleArray(), qq);
  }

  /** {@return X = P^T P} */
  public static Congruence gram(Tensor p) {
    return of(p, Tensor.eye(p.size(0), ansatz.autograd.DType.FLOAT64));
  }

  /**
   * {@return the factored form of (P^T Q P)^alpha for PSD Q: with A = Q^{1/2} P, (A^T A)^alpha =
   *     A^T (A A^T)^{alpha - 1} A, the inner power taken on the range of A A^T (eigenvalues below
   *     {@code 1e-13} times the largest are treated as 0, as rounding noise of a rank-deficient matrix)}
   */
  public static Congruence power(Tensor p, Tensor q, double alpha) {
    if (alpha == 1) return of(p, q);
    Tensor a = Products.matmul(Matrices.psdSqrt(q), p);
    Tensor h = Products.matmul(a, a.t());
    return of(a, pseudoPower(h, alpha - 1));
  }

  /** {@return H^beta on the range of symmetric PSD H (small eigenvalues dropped, see {@link #power})} */
  static Tensor pseudoPower(Tensor h, double beta) {
    Matrices.Eigen e = Matrices.symmetricEigen(h);
    int n = e.values().length;
    double max = 0;
    for (double v : e.values()) max = Math.max(max, v);
    double floor = 1e-13 * max;
    double[] vec = e.vectors().toDoubleArray();
    double[] out = new double[n * n];
    for (int k = 0; k < n; k++) {
      double l = e.values()[k];
      if (!(l > floor)) continue;
      double f = Math.pow(l, beta);
      for (int i = 0; i < n; i++) {
        double vi = vec[i * n + k] * f;
        for (int j = 0; j < n; j++) out[i * n + j] += vi * vec[j * n + k];
      }
    }
    return Tensor.wrap(out, n, n);
  }

  /** {@return the size c of X} */
  public int size() {
    return c;
  }

  /** {@return the sum of all entries of X} */
  public double sum() {
    double[] u = new double[r];
    for (int i = 0; i < r; i++) {
      double s = 0;
      for (int j = 0; j < c; j++) s += p[i * c + j];
      u[i] = s;
    }
    double t = 0;
    for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) t += u[i] * q[i * r + j] * u[j];
    return t;
  }

  /** {@return the Frobenius inner product &lt;this, other&gt; = tr(Q (P R^T) S (R P^T))} */
  public double inner(Congruence other) {
    if (other.c != c) throw new IllegalArgumentException("Congruence: sizes " + c + " and " + other.c + " differ");
    int s = other.r;
    double[] prt = new double[r * s]; // P R^T (r x s)
    Gemm.dgemm(false, true, r, s, c, 1.0, p, 0, c, other.p, 0, c, 0.0, prt, 0, s);
    double[] qx = new double[r * s]; // Q (P R^T)
    Gemm.dgemm(false, false, r, s, r, 1.0, q, 0, r, prt, 0, s, 0.0, qx, 0, s);
    double[] sy = new double[s * r]; // S (R P^T)
    Gemm.dgemm(false, true, s, r, s, 1.0, other.q, 0, s, prt, 0, s, 0.0, sy, 0, r);
    double t = 0; // tr(qx sy) = sum_ij qx[i,j] sy[j,i]
    for (int i = 0; i < r; i++) for (int j = 0; j < s; j++) t += qx[i * s + j] * sy[j * r + i];
    return t;
  }

  /** {@return X as a dense c x c float64 matrix} */
  public Tensor dense() {
    return Products.congruence(Tensor.wrap(p, r, c), Tensor.wrap(q, r, r), 1);
  }

  /**
   * {@return rho(this, other) from moments: the inner products and entry sums above (pearson
   *     removes each matrix's mean entry: &lt;X - x̄, Y - ȳ&gt; = &lt;X, Y&gt; - sum(X) sum(Y) / c^2)}
   */
  public double correlation(Correlation rho, Congruence other) {
    double xy = inner(other), xx = inner(this), yy = other.inner(other);
    if (rho == Correlation.PEARSON) {
      double n = (double) c * c, sx = sum(), sy = other.sum();
      double xxc = xx - sx * sx / n, yyc = yy - sy * sy / n;
      // A spread below rounding level of the moments is a constant matrix: undefined, as in the dense form.
      if (xxc <= 1e-12 * xx || yyc <= 1e-12 * yy) return Double.NaN;
      xy -= sx * sy / n;
      xx = xxc;
      yy = yyc;
    }
    return xy / Math.sqrt(xx * yy);
  }
}
