package ansatz.autograd.ops;

/** erf and the normal distribution, to double precision (Java's Math has no erf). */
public final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  private SpecialFunctions() {}

  /**
   * The error function. Taylor series below |x| = 2.5 (about 40 terms, rounding error near 1e-15),
   * a continued fraction for erfc beyond (converges fast there), exactly +-1 past 6.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) return x;
    double ax = Math.abs(x);
    if (ax > 6) return Math.signum(x);
    if (ax < 2.5) {
      double x2 = x * x, term = x, sum = x;
      for (int n = 1; n < 100; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      }
      return TWO_OVER_SQRT_PI * sum;
    }
    return Math.signum(x) * (1 - erfcLarge(ax));
  }

  /** erfc(x) for x &gt;= 2.5 by the Lentz continued fraction. */
  private static double erfcLarge(double x) {
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
    double tiny = 1e-300;
    double f = x, c = x, d = 0;
    for (int k = 1; k < 300; k++) {
      double ak = k * 0.5;
      d = x + ak * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + ak / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }

  /** @return the standard normal CDF Phi(x) */
  public static double normalCdf(double x) {
    return 0.5 * (1 + erf(x * INV_SQRT_2));
  }

  /** @return the standard normal density phi(x) */
  public static double normalPdf(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }
}
