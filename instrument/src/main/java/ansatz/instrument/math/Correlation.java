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
    return both(Entries.of(a), Entries.of(b))[ordinal()];
  }

  /**
   * {@return both correlations of one pair, indexed by {@link #ordinal()} (pearson, cosine), from
   *     the two summaries and one pass over both matrices}
   * @throws IllegalArgumentException if the matrices differ in size
   */
  public static double[] both(Entries a, Entries b) {
    if (a.x.length != b.x.length) {
      throw new IllegalArgumentException("correlation: matrices of " + a.x.length + " and " + b.x.length + " entries");
    }
    double[] cross = crossSums(a.x, b.x, a.mean, b.mean);
    // A spread below rounding level of the squares is a constant matrix (its mean, rounded, can miss
    // the constant by an ulp): pearson is undefined, as for the factored form (Congruence).
    boolean constant = a.centeredSquares <= 1e-12 * a.squares || b.centeredSquares <= 1e-12 * b.squares;
    double pearson = constant ? Double.NaN : cross[0] / Math.sqrt(a.centeredSquares * b.centeredSquares);
    return new double[] {pearson, cross[1] / Math.sqrt(a.squares * b.squares)};
  }

  /**
   * What both correlations need of one matrix alone: its entries in double, their mean, and the
   * sums of squares with and without the mean. A probe correlates each NFM with four AGOP-side
   * matrices; summarized once, each of them is read once more per pair, not three times per
   * correlation.
   */
  public static final class Entries {
    private final double[] x;
    private final double mean;
    private final double squares;
    private final double centeredSquares;

    private Entries(double[] x) {
      this.x = x;
      this.mean = sum(x) / x.length;
      double[] s = squareSums(x, mean);
      this.squares = s[0];
      this.centeredSquares = s[1];
    }

    /** {@return the summary of a float32 or float64 matrix (no copy of a dense float64 one)} */
    public static Entries of(Tensor t) {
      return new Entries(Products.values64(t));
    }
  }

  // The loops sit in small methods of their own (quick to compile, as a probe runs them on
  // million-entry matrices from its first call), with two or four partial sums per quantity: one
  // running sum is a chain of dependent additions, several keep the adder busy.

  private static double sum(double[] x) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 4 <= x.length; i += 4) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
    }
    for (; i < x.length; i++) s0 += x[i];
    return (s0 + s1) + (s2 + s3);
  }

  /** {@return {sum x^2, sum (x - mean)^2}} */
  private static double[] squareSums(double[] x, double mean) {
    double r0 = 0, r1 = 0, c0 = 0, c1 = 0;
    int i = 0;
    for (; i + 2 <= x.length; i += 2) {
      double a = x[i], b = x[i + 1], u = a - mean, v = b - mean;
      r0 += a * a;
      r1 += b * b;
      c0 += u * u;
      c1 += v * v;
    }
    for (; i < x.length; i++) {
      double u = x[i] - mean;
      r0 += x[i] * x[i];
      c0 += u * u;
    }
    return new double[] {r0 + r1, c0 + c1};
  }

  /** {@return {sum (x - mx)(y - my), sum x y}} */
  private static double[] crossSums(double[] x, double[] y, double mx, double my) {
    double c0 = 0, c1 = 0, r0 = 0, r1 = 0;
    int i = 0;
    for (; i + 2 <= x.length; i += 2) {
      double a = x[i], b = x[i + 1], p = y[i], q = y[i + 1];
      c0 += (a - mx) * (p - my);
      c1 += (b - mx) * (q - my);
      r0 += a * p;
      r1 += b * q;
    }
    for (; i < x.length; i++) {
      c0 += (x[i] - mx) * (y[i] - my);
      r0 += x[i] * y[i];
    }
    return new double[] {c0 + c1, r0 + r1};
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
