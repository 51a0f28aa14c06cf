package ansatz.nn.rfm;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recursive Feature Machine (Radhakrishnan et al., 2024), as in DEFINITIONS.md section 8:
 *
 * <pre>
 *   M_0 = I
 *   for t = 0 .. T-1:
 *     alpha  = (K_{M_t} + lambda I)^{-1} Y                  (kernel ridge regression)
 *     M_{t+1} = AGOP of f(x) = sum_i alpha_i K_{M_t}(x, x_i) at (a subsample of) the training points
 *   final refit with M_T
 * </pre>
 *
 * Options ({@link RfmOptions}): gradient centering, M / max entry, diagonal-only M, Gaussian
 * kernel. Each fit's train and test scores are recorded.
 */
public final class Rfm {
  private Rfm() {}

  /**
   * Runs RFM without a test set.
   *
   * @see #fit(Tensor, Tensor, Tensor, Tensor, RfmOptions)
   */
  public static RfmResult fit(Tensor xTrain, Tensor yTrain, RfmOptions options) {
    return fit(xTrain, yTrain, null, null, options);
  }

  /**
   * Runs RFM.
   *
   * @param xTrain training inputs (n x d), float32 or float64; the GEMMs run in this type
   * @param yTrain targets, shape (n) or (n, c); for classification e.g. one-hot rows
   * @param xTest test inputs (m x d), or null
   * @param yTest test targets, or null (both or neither)
   * @param options settings; {@link RfmOptions#defaults()} gives L = 10, lambda = 1e-3, T = 5
   * @throws IllegalArgumentException for empty or non-finite data, mismatched rows or widths
   */
  public static RfmResult fit(Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest, RfmOptions options) {
    String op = "Rfm.fit";
    if (options == null) throw new IllegalArgumentException(op + ": options is null");
    Rows x = Checks.features(op, "xTrain", xTrain);
    Rows y = Checks.targets(op, "yTrain", yTrain, x.n);
    if ((xTest == null) != (yTest == null)) throw new IllegalArgumentException(op + ": give both xTest and yTest, or neither");
    Rows xt = null, yt = null;
    if (xTest != null) {
      xt = Checks.features(op, "xTest", xTest).to(x.dtype());
      Checks.sameFeatures(op, "xTrain", x, "xTest", xt);
      yt = Checks.targets(op, "yTest", yTest, xt.n);
      if (yt.cols != y.cols) throw new IllegalArgumentException(op + ": yTrain has " + y.cols + " outputs but yTest has " + yt.cols);
    }
    double[] labels = options.classification() && y.cols == 1 ? Scores.distinctValues(y) : null;
    Kernel kernel = options.kernelObject();
    Rng rng = new Rng(options.seed());
    Metric m = Metric.identity(x.cols);
    List<RfmIteration> iterations = new ArrayList<>();
    List<Tensor> metrics = new ArrayList<>();
    if (options.keepHistory()) metrics.add(m.tensor());
    KernelPredictor f = null;
    for (int t = 0; t <= options.iterations(); t++) {
      long start = System.nanoTime();
      f = KernelRidge.fit(x, y, kernel, m, options.ridge());
      Scores train = Scores.of(KernelRidge.trainPredictions(f, y, options.ridge()), y, labels, options.classification());
      Scores test = xt == null ? Scores.NONE : Scores.of(f.predict(xt), yt, labels, options.classification());
      if (t < options.iterations()) {
        m = nextMetric(f, x, options, rng);
        if (options.keepHistory()) metrics.add(m.tensor());
      }
      iterations.add(new RfmIteration(t, train, test, (System.nanoTime() - start) * 1e-9));
    }
    if (!options.keepHistory()) metrics.add(m.tensor());
    return new RfmResult(List.copyOf(iterations), List.copyOf(metrics), f);
  }

  /** One M update: the AGOP of f at a subsample of the training points, then the options. */
  static Metric nextMetric(KernelPredictor f, Rows x, RfmOptions options, Rng rng) {
    Rows points = subsample(x, options.agopSamples(), rng);
    double[] g = KernelGradients.agop(f, points, options.centerGradients(), options.diagonalOnly());
    if (options.normalizeByMax()) divideByMaxEntry(g);
    return Metric.trusted(x.cols, g);
  }

  /** {@return all rows if there are at most {@code max}, else {@code max} distinct random rows (in index order)} */
  static Rows subsample(Rows x, int max, Rng rng) {
    if (x.n <= max) return x;
    int[] idx = Arrays.copyOf(rng.permutation(x.n), max);
    Arrays.sort(idx);
    return x.select(idx);
  }

  /** Divides by the largest absolute entry (left alone if it is 0: the AGOP of a constant predictor). */
  static void divideByMaxEntry(double[] g) {
    double max = 0;
    for (double v : g) max = Math.max(max, Math.abs(v));
    if (max > 0) for (int i = 0; i < g.length; i++) g[i] /= max;
  }
}
