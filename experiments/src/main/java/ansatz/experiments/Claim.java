package ansatz.experiments;

import java.util.Locale;

/**
 * One checked claim: a statement, the test fixed before the run (a direction and a threshold), the
 * measured value, and whether it holds. Thresholds are never tuned after seeing results; a claim
 * that fails is reported as failing.
 *
 * @param id short identifier, e.g. {@code nfa-mlp.layer1-above-baseline}
 * @param statement what the papers claim, in words
 * @param expected the test, e.g. {@code >= 0.90}
 * @param measured the measured value as text
 * @param value the measured number (NaN if not numeric)
 * @param holds whether the test passed
 */
public record Claim(String id, String statement, String expected, String measured, double value, boolean holds) {
  /** @return a claim that holds when {@code value >= threshold} */
  public static Claim atLeast(String id, String statement, double threshold, double value) {
    return new Claim(id, statement, ">= " + fmt(threshold), fmt(value), value, value >= threshold);
  }

  /** @return a claim that holds when {@code value <= threshold} */
  public static Claim atMost(String id, String statement, double threshold, double value) {
    return new Claim(id, statement, "<= " + fmt(threshold), fmt(value), value, value <= threshold);
  }

  /** @return a claim that holds when {@code a > b} (value recorded as a - b) */
  public static Claim greater(String id, String statement, String aName, double a, String bName, double b) {
    return new Claim(id, statement, aName + " > " + bName, fmt(a) + " vs " + fmt(b), a - b, a > b);
  }

  /** @return a claim about a true/false observation */
  public static Claim check(String id, String statement, String expected, String measured, boolean holds) {
    return new Claim(id, statement, expected, measured, Double.NaN, holds);
  }

  /** @return a number formatted for tables: 4 significant digits, scientific when tiny or huge */
  public static String fmt(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.3e", v);
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
