package ansatz.instrument.chart;

import java.util.Arrays;

/** Input checks and the filtering that log axes need. */
final class Series {
  private Series() {}

  /** (x, y) points kept for drawing. */
  record Points(double[] x, double[] y) {
    boolean isEmpty() {
      return x.length == 0;
    }
  }

  static double[] steps(long[] steps) {
    double[] x = new double[steps.length];
    for (int i = 0; i < steps.length; i++) x[i] = steps[i];
    return x;
  }

  static void sameLength(String chart, String what, int want, int got) {
    if (want != got) throw new IllegalArgumentException(chart + ": " + what + " has " + got + " values for " + want + " steps");
  }

  /**
   * Keeps the finite points, and on a log axis only y &gt; 0 (a diverged loss or a zero cannot be
   * drawn there; leaving the point out is the honest picture).
   */
  static Points drawable(double[] x, double[] y, boolean logY) {
    double[] xs = new double[x.length], ys = new double[y.length];
    int m = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logY || y[i] > 0)) {
        xs[m] = x[i];
        ys[m] = y[i];
        m++;
      }
    }
    return new Points(Arrays.copyOf(xs, m), Arrays.copyOf(ys, m));
  }
}
