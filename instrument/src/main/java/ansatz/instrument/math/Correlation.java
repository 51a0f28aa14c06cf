package ansatz.instrument.math;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;

/**
 * The two matrix correlations of DEFINITIONS.md section 2. Every output names which one it used.
 */
public enum Correlation {
  /** Flatten both, subtract each one's mean entry, cosine of the results (the default). */
  PEARSON("pearson"),
  /** Uncentered: &lt;A,B&gt;_F / (||A||_F ||B||_F). */
  COSINE("cosine");

  private final String label;

  Correlation(String label) {
    this.label = label;
  }

  /** {@return rho(A, B) computed in double; NaN when either matrix is constant (pearson) or zero (cosine)} */
  public double of(Tensor a, Tensor b) {
    if (!Shape.same(a.shape(), b.shape())) {
      throw new IllegalArgumentException(label + " correlation: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()) + " differ");
    }
    // No copy for dense float64 matrices (the probes' 1000 x 1000 ones are read a dozen times per probe).
    double[] x = Products.values64(a), y = Products.values64(b);
    double mx = this == PEARSON ? mean(x) : 0, my = this == PEARSON ? mean(y) : 0;
    double[] s = centeredSums(x, y, mx, my);
    return s[0] / Math.sqrt(s[1] * s[2]);
  }

  // The loops in small methods of their own: a probe calls this a few dozen times on million-entry
  // matrices, so C2 compiles it mid-loop, and a small method compiles faster.

  private static double mean(double[] x) {
    double m = 0;
    for (double v : x) m += v;
    return m / x.length;
  }

  /** {@return {sum (x-mx)(y-my), sum (x-mx)^2, sum (y-my)^2}} */
  private static double[] centeredSums(double[] x, double[] y, double mx, double my) {
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < x.length; i++) {
      double u = x[i] - mx, v = y[i] - my;
      sxy += u * v;
      sxx += u * u;
      syy += v * v;
    }
    return new double[] {sxy, sxx, syy};
  }

  /** {@return "pearson" or "cosine", as written in outputs} */
  public String label() {
    return label;
  }

  /** {@return the variant named by {@code s} (case-insensitive)} */
  public static Correlation parse(String s) {
    for (Correlation c : values()) if (c.label.equalsIgnoreCase(s)) return c;
    throw new IllegalArgumentException("unknown correlation '" + s + "' (pearson or cosine)");
  }
}
