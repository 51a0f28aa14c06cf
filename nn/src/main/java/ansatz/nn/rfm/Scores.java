package ansatz.nn.rfm;

import java.util.Arrays;

/**
 * How well predictions match targets.
 *
 * @param mse mean squared error over all n x c entries
 * @param r2 {@code 1 - SS_res / SS_tot}, both summed over outputs, with SS_tot taken around each
 *     output's own mean on this set (the usual R^2 for one output; sklearn's "variance_weighted"
 *     for several)
 * @param accuracy fraction of rows whose predicted class is right, or NaN when not classifying:
 *     with several outputs the class is the argmax; with one output it is the nearest of the
 *     training targets' distinct values (so sign for +-1 labels, a 0.5 threshold for 0/1 labels)
 */
public record Scores(double mse, double r2, double accuracy) {
  /** Scores of a set that was not given (all NaN). */
  public static final Scores NONE = new Scores(Double.NaN, Double.NaN, Double.NaN);

  /**
   * @param pred predictions, n x c row-major
   * @param y targets, float64 n x c
   * @param labelValues for one-output classification, the distinct label values; null if not classifying
   * @param classify whether to compute the accuracy
   */
  static Scores of(double[] pred, Rows y, double[] labelValues, boolean classify) {
    int n = y.n, c = y.cols;
    double sse = 0, sst = 0;
    for (int k = 0; k < c; k++) {
      double mean = 0;
      for (int i = 0; i < n; i++) mean += y.d[i * c + k];
      mean /= n;
      for (int i = 0; i < n; i++) {
        double r = pred[i * c + k] - y.d[i * c + k], t = y.d[i * c + k] - mean;
        sse += r * r;
        sst += t * t;
      }
    }
    double acc = Double.NaN;
    if (classify) {
      int right = 0;
      for (int i = 0; i < n; i++) {
        if (c > 1) {
          if (argmax(pred, i * c, c) == argmax(y.d, i * c, c)) right++;
        } else if (nearest(labelValues, pred[i]) == nearest(labelValues, y.d[i])) {
          right++;
        }
      }
      acc = (double) right / n;
    }
    return new Scores(sse / ((double) n * c), 1 - sse / sst, acc);
  }

  /** {@return the sorted distinct values of a one-column target matrix} */
  static double[] distinctValues(Rows y) {
    return Arrays.stream(y.d).distinct().sorted().toArray();
  }

  private static int argmax(double[] v, int off, int len) {
    int best = 0;
    for (int k = 1; k < len; k++) if (v[off + k] > v[off + best]) best = k;
    return best;
  }

  private static int nearest(double[] values, double v) {
    int best = 0;
    for (int i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
    return best;
  }
}
