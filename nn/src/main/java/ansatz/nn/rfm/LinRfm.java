package ansatz.nn.rfm;

import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Linear RFM (Radhakrishnan, Belkin, Drusvyatskiy): RFM with the linear kernel, which is IRLS-p
 * with {@code p = 2 - 2 alpha} (see {@link Irls}). Float64 throughout.
 *
 * <ul>
 *   <li>Sparse regression: {@code w_t = M_t X^T (X M_t X^T)^{-1} y},
 *       {@code M_{t+1} = diag(w_t^2 + eps)^alpha}, M_0 = I. With alpha = 1/2 (p = 1) it recovers
 *       sparse vectors from few measurements; alpha = 0 is the plain minimum-norm solution.
 *   <li>Low-rank matrix completion: every row of the matrix is a min-norm fit of its observed
 *       entries under the metric M, {@code w_r = M[:, O_r] (M[O_r, O_r])^{-1} y_r[O_r]};
 *       {@code M_{t+1} = (W_t^T W_t + eps I)^alpha}.
 * </ul>
 */
public final class LinRfm {
  private LinRfm() {}

  /**
   * The iterates of a lin-RFM run.
   *
   * @param iterates w_0 (with M_0 = I), w_1, ..., one per iteration (float64)
   * @param metric the last M used (diagonal d x d for regression, d x d for completion)
   */
  public record Result(List<Tensor> iterates, Tensor metric) {
    /** {@return the last iterate} */
    public Tensor estimate() {
      return iterates.get(iterates.size() - 1);
    }
  }

  /**
   * Sparse regression by lin-RFM.
   *
   * @param x measurements (n x d) with n &lt;= d and full row rank
   * @param y observations, shape (n) or (n, 1)
   * @param alpha the power, in [0, 1] (1/2 recovers sparse vectors)
   * @param eps the smoothing eps &gt; 0
   * @param iterations T &gt;= 1: the number of w's computed
   * @return w_0 .. w_{T-1} (each a float64 vector of length d) and the last M
   */
  public static Result sparseRegression(Tensor x, Tensor y, double alpha, double eps, int iterations) {
    String op = "LinRfm.sparseRegression";
    Rows xr = Checks.features(op, "x", x).to(ansatz.autograd.DType.FLOAT64);
    Rows yr = Checks.targets(op, "y", y, xr.n);
    if (yr.cols != 1) throw new IllegalArgumentException(op + ": y must have one column, got " + yr.cols);
    checkSettings(op, alpha, eps, iterations);
    int n = xr.n, d = xr.cols;
    double[] m = new double[d];
    Arrays.fill(m, 1);
    List<Tensor> iterates = new ArrayList<>();
    double[] w = null;
    for (int t = 0; t < iterations; t++) {
      if (t > 0) for (int j = 0; j < d; j++) m[j] = Math.pow(w[j] * w[j] + eps, alpha);
      w = minimumNorm(op, xr, yr.d, m);
      iterates.add(Tensor.of(w, d));
    }
    double[] md = new double[d * d];
    for (int j = 0; j < d; j++) md[j * d + j] = m[j];
    return new Result(List.copyOf(iterates), Tensor.wrap(md, d, d));
  }

  /**
   * {@code w = M X^T (X M X^T)^{-1} y} for diagonal M (the minimizer of {@code w^T M^{-1} w} subject
   * to {@code X w = y}), by Cholesky of the n x n Gram matrix.
   */
  static double[] minimumNorm(String op, Rows x, double[] y, double[] m) {
    int n = x.n, d = x.cols;
    double[] gram = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k <= i; k++) {
        double s = 0;
        for (int j = 0; j < d; j++) s += x.d[i * d + j] * m[j] * x.d[k * d + j];
        gram[i * n + k] = s;
      }
    }
    try {
      Cholesky.factor(gram, n);
    } catch (Cholesky.NotPositiveDefiniteException e) {
      throw new IllegalStateException(op + ": X M X^T is not positive definite (pivot " + e.pivot + "); X needs full row rank", e);
    }
    double[] z = y.clone();
    Cholesky.solve(gram, n, z, 1);
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      double s = 0;
      for (int i = 0; i < n; i++) s += x.d[i * d + j] * z[i];
      w[j] = m[j] * s;
    }
    return w;
  }

  /**
   * Low-rank matrix completion by lin-RFM.
   *
   * @param observed the matrix (rows x d); only entries where {@code mask} is nonzero are read
   * @param mask same shape, nonzero where an entry is observed; every row needs one
   * @param alpha the power, in [0, 1] (1/2 is IRLS for the nuclear norm)
   * @param eps the smoothing eps &gt; 0
   * @param iterations T &gt;= 1: the number of completed matrices W computed
   * @return W_0 .. W_{T-1} (each float64 rows x d) and the last M
   */
  public static Result matrixCompletion(Tensor observed, Tensor mask, double alpha, double eps, int iterations) {
    String op = "LinRfm.matrixCompletion";
    if (observed == null || mask == null) throw new IllegalArgumentException(op + ": observed and mask must not be null");
    if (!Arrays.equals(observed.shape(), mask.shape())) {
      throw new IllegalArgumentException(op + ": mask shape " + Arrays.toString(mask.shape()) + " differs from observed shape " + Arrays.toString(observed.shape()));
    }
    if (observed.dim() != 2) throw new IllegalArgumentException(op + ": observed must be a matrix, got shape " + Arrays.toString(observed.shape()));
    checkSettings(op, alpha, eps, iterations);
    int rows = observed.size(0), d = observed.size(1);
    double[] y = observed.toDoubleArray(), mk = mask.toDoubleArray();
    int[][] seen = new int[rows][];
    for (int r = 0; r < rows; r++) {
      int count = 0;
      for (int j = 0; j < d; j++) if (mk[r * d + j] != 0) count++;
      if (count == 0) throw new IllegalArgumentException(op + ": row " + r + " has no observed entry");
      seen[r] = new int[count];
      for (int j = 0, c = 0; j < d; j++) {
        if (mk[r * d + j] != 0) {
          if (!Double.isFinite(y[r * d + j])) throw new IllegalArgumentException(op + ": observed entry (" + r + ", " + j + ") is " + y[r * d + j]);
          seen[r][c++] = j;
        }
      }
    }
    double[] m = Metric.identity(d).values;
    List<Tensor> iterates = new ArrayList<>();
    double[] w = new double[rows * d];
    for (int t = 0; t < iterations; t++) {
      if (t > 0) {
        double[] wtw = new double[d * d];
        for (int a = 0; a < d; a++) {
          for (int b = 0; b <= a; b++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += w[r * d + a] * w[r * d + b];
            wtw[a * d + b] = wtw[b * d + a] = s + (a == b ? eps : 0);
          }
        }
        m = PsdPower.power(wtw, d, alpha);
      }
      for (int r = 0; r < rows; r++) completeRow(op, m, d, seen[r], y, r, w);
      iterates.add(Tensor.of(w, rows, d));
    }
    return new Result(List.copyOf(iterates), Tensor.of(m, d, d));
  }

  /** Row r of W: {@code M[:, O] (M[O, O])^{-1} y[O]} with O the observed columns. */
  private static void completeRow(String op, double[] m, int d, int[] cols, double[] y, int r, double[] w) {
    int k = cols.length;
    double[] sub = new double[k * k];
    for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) sub[a * k + b] = m[cols[a] * d + cols[b]];
    try {
      Cholesky.factor(sub, k);
    } catch (Cholesky.NotPositiveDefiniteException e) {
      throw new IllegalStateException(op + ": M restricted to the observed columns of row " + r + " is not positive definite; use a larger eps", e);
    }
    double[] z = new double[k];
    for (int a = 0; a < k; a++) z[a] = y[r * d + cols[a]];
    Cholesky.solve(sub, k, z, 1);
    for (int j = 0; j < d; j++) {
      double s = 0;
      for (int a = 0; a < k; a++) s += m[j * d + cols[a]] * z[a];
      w[r * d + j] = s;
    }
  }

  private static void checkSettings(String op, double alpha, double eps, int iterations) {
    if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException(op + ": alpha must be in [0, 1], got " + alpha);
    if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException(op + ": eps must be finite and > 0, got " + eps);
    Checks.positive(op, "iterations", iterations);
  }
}
