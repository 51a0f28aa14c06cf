package ansatz.instrument.math;

/**
 * The eigenpairs of D + rho z z^T (D = diag(d) with d strictly ascending, every z_j nonzero,
 * rho &gt; 0): the eigenvalues are the roots of the secular equation
 * f(lambda) = 1 + rho sum_j z_j^2 / (d_j - lambda), one in each (d_i, d_{i+1}) and the last in
 * (d_{k-1}, d_{k-1} + rho ||z||^2].
 *
 * <p>Each root is found as lambda = d_o + tau with o the nearer pole, so that the differences
 * d_j - lambda = (d_j - d_o) - tau keep their relative accuracy (what the eigenvectors need);
 * tau by Li's "middle way" rational iteration (the step of LAPACK's dlaed4) kept inside a bracket
 * that bisection falls back to. The vectors then come from z recomputed from the roots (Gu and
 * Eisenstat): with that z the computed roots are exact eigenvalues of a nearby rank-one problem,
 * so the vectors u_i = (z_j / (d_j - lambda_i))_j are orthogonal to working precision.
 */
final class SecularEquation {
  private static final double EPS = Math.ulp(1.0);
  private static final int MAX_ITERATIONS = 200;

  private final double[] values;
  private final double[] vectors;

  private SecularEquation(double[] values, double[] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /** @return the roots, ascending */
  double[] values() {
    return values;
  }

  /** @return the unit eigenvectors as columns, k x k row-major (entry [j][i] = component j of vector i) */
  double[] vectors() {
    return vectors;
  }

  static SecularEquation solve(double[] d, double[] z, double rho) {
    int k = d.length;
    double zz = 0;
    for (double v : z) zz += v * v;
    double[] lambda = new double[k];
    double[] delta = new double[k * k]; // delta[i][j] = d_j - lambda_i, accurately
    double[] shifted = new double[k];
    // One call per root (not the loop nest inline): small methods are quick for the JIT to compile.
    for (int i = 0; i < k; i++) lambda[i] = rootAt(d, z, rho, zz, i, shifted, delta);
    return new SecularEquation(lambda, vectors(d, z, rho, delta, k));
  }

  /** Root i, and row i of delta; {@code shifted} is scratch (k). */
  private static double rootAt(double[] d, double[] z, double rho, double zz, int i, double[] shifted, double[] delta) {
    int k = d.length;
    int origin;
    double lo, hi;
    if (i < k - 1) {
      double half = 0.5 * (d[i + 1] - d[i]);
      // f at the midpoint decides which pole the root is nearer to.
      double f = 1;
      for (int j = 0; j < k; j++) f += rho * z[j] * z[j] / ((d[j] - d[i]) - half);
      if (f >= 0) {
        origin = i;
        lo = 0;
        hi = half;
      } else {
        origin = i + 1;
        lo = -half;
        hi = 0;
      }
    } else {
      origin = k - 1;
      lo = 0;
      hi = rho * zz; // f(d_{k-1} + rho ||z||^2) >= 0
    }
    for (int j = 0; j < k; j++) shifted[j] = d[j] - d[origin];
    double tau = root(shifted, z, rho, i, lo, hi);
    for (int j = 0; j < k; j++) delta[i * k + j] = shifted[j] - tau;
    return d[origin] + tau;
  }

  /**
   * @param s the poles relative to the origin (s[origin] = 0)
   * @param i the root's index: it lies between poles i and i+1 (above pole k-1 for the last)
   * @return tau with f(d_origin + tau) = 0 to rounding, inside (lo, hi)
   */
  private static double root(double[] s, double[] z, double rho, int i, double lo, double hi) {
    int k = s.length;
    boolean last = i == k - 1;
    double tau = 0.5 * (lo + hi);
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      // psi: poles at or below pole i (negative terms); phi: the ones above (positive terms).
      double psi = 0, dpsi = 0, phi = 0, dphi = 0;
      for (int j = 0; j <= i; j++) {
        double t = z[j] / (s[j] - tau);
        psi += z[j] * t;
        dpsi += t * t;
      }
      for (int j = i + 1; j < k; j++) {
        double t = z[j] / (s[j] - tau);
        phi += z[j] * t;
        dphi += t * t;
      }
      psi *= rho;
      dpsi *= rho;
      phi *= rho;
      dphi *= rho;
      double f = 1 + psi + phi;
      if (f == 0) return tau;
      if (f < 0) lo = tau;
      else hi = tau;
      // Rounding error of f (each term relative eps, the sums of magnitudes phi - psi).
      double err = EPS * (8 * (1 + phi - psi) + 3 * Math.abs(tau) * (dpsi + dphi));
      if (Math.abs(f) <= err) return tau;
      double next = middleWayStep(tau, f, dpsi, dphi, s[i] - tau, last ? Double.NaN : s[i + 1] - tau, last);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (next == tau || next <= lo || next >= hi) return tau; // the bracket has collapsed to adjacent doubles
      tau = next;
    }
    return tau;
  }

  /**
   * The zero of c + s/(dl - eta) + S/(dr - eta), the rational model matching f and f' at tau with
   * psi's pole at dl and phi's at dr (relative to tau): s = dl^2 psi', S = dr^2 phi',
   * c = f - dl psi' - dr phi'.
   *
   * @return tau + eta, or NaN when the model has no usable root
   */
  private static double middleWayStep(double tau, double f, double dpsi, double dphi, double dl, double dr, boolean last) {
    if (last) {
      double c = f - dl * dpsi;
      if (!(c > 0)) return Double.NaN;
      return tau + dl + dl * dl * dpsi / c;
    }
    double c = f - dl * dpsi - dr * dphi;
    double s = dl * dl * dpsi, sr = dr * dr * dphi;
    // c eta^2 - b eta + f dl dr = 0, the root between the poles dl < 0 < dr.
    double b = c * (dl + dr) + s + sr, cc = f * dl * dr;
    double eta;
    if (c == 0) {
      eta = cc / b;
    } else {
      double disc = Math.max(0, b * b - 4 * c * cc);
      double q = 0.5 * (b + Math.copySign(Math.sqrt(disc), b));
      double e1 = q / c, e2 = cc / q;
      eta = e1 > dl && e1 < dr ? e1 : e2;
    }
    return tau + eta;
  }

  /**
   * Gu-Eisenstat: z_j^2 = prod_i (lambda_i - d_j) / (rho prod_{i != j} (d_i - d_j)), taken as a
   * product of ratios that each stay near 1; then u_i = (z_j / (d_j - lambda_i))_j normalized.
   */
  private static double[] vectors(double[] d, double[] z, double rho, double[] delta, int k) {
    double[] zh = new double[k];
    for (int j = 0; j < k; j++) {
      double p = -delta[(k - 1) * k + j] / rho;
      for (int i = 0; i < j; i++) p *= -delta[i * k + j] / (d[i] - d[j]);
      for (int i = j; i < k - 1; i++) p *= -delta[i * k + j] / (d[i + 1] - d[j]);
      zh[j] = Math.copySign(Math.sqrt(Math.max(p, 0)), z[j]);
    }
    double[] u = new double[k * k];
    for (int i = 0; i < k; i++) {
      double norm = 0;
      for (int j = 0; j < k; j++) {
        double v = zh[j] / delta[i * k + j];
        u[j * k + i] = v;
        norm += v * v;
      }
      if (!(norm > 0) || Double.isInfinite(norm)) {
        throw new IllegalStateException("secular equation: no usable eigenvector for root " + i + " of " + k);
      }
      double inv = 1 / Math.sqrt(norm);
      for (int j = 0; j < k; j++) u[j * k + i] *= inv;
    }
    return u;
  }
}
