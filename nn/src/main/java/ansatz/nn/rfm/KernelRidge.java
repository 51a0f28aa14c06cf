package ansatz.nn.rfm;

import ansatz.autograd.Tensor;

/**
 * Kernel ridge regression: {@code alpha = (K + lambda I)^{-1} Y} with
 * {@code K[i][j] = K_M(x_i, x_j)}, solved by Cholesky in float64 (the kernel GEMMs run in the
 * data's type). Y may have several columns (outputs); they share one factorization.
 */
public final class KernelRidge {
  private KernelRidge() {}

  /**
   * Fits with the Euclidean metric M = I.
   *
   * @param x training inputs (n x d), float32 or float64
   * @param y targets, shape (n) or (n, c)
   * @param kernel kernel and bandwidth
   * @param ridge lambda &gt;= 0
   */
  public static KernelPredictor fit(Tensor x, Tensor y, Kernel kernel, double ridge) {
    Rows xr = Checks.features("KernelRidge.fit", "x", x);
    return fit(xr, Checks.targets("KernelRidge.fit", "y", y, xr.n), kernel, Metric.identity(xr.cols), ridge);
  }

  /**
   * Fits with a Mahalanobis metric M.
   *
   * @param metric M, a symmetric d x d matrix (PSD for a meaningful distance)
   * @throws IllegalArgumentException for empty or non-finite data, mismatched rows, a bad metric
   *     or a negative ridge
   * @throws IllegalStateException if K + lambda I is not numerically positive definite
   */
  public static KernelPredictor fit(Tensor x, Tensor y, Kernel kernel, Tensor metric, double ridge) {
    Rows xr = Checks.features("KernelRidge.fit", "x", x);
    Rows yr = Checks.targets("KernelRidge.fit", "y", y, xr.n);
    return fit(xr, yr, kernel, Metric.of("KernelRidge.fit", metric, xr.cols), ridge);
  }

  /** Fits on checked inputs; y is float64 n x c. */
  static KernelPredictor fit(Rows x, Rows y, Kernel kernel, Metric metric, double ridge) {
    Checks.ridge("KernelRidge.fit", ridge);
    if (kernel == null) throw new IllegalArgumentException("KernelRidge.fit: kernel is null");
    int n = x.n;
    KernelBlocks blocks = new KernelBlocks(kernel, x, x, metric);
    double[] a = lowerKernelMatrix(blocks);
    for (int i = 0; i < n; i++) a[i * n + i] += ridge;
    try {
      Cholesky.factor(a, n);
    } catch (Cholesky.NotPositiveDefiniteException e) {
      throw new IllegalStateException("KernelRidge.fit: K + lambda I (n = " + n + ", lambda = " + ridge
          + ") is not numerically positive definite at pivot " + e.pivot + " (" + e.value
          + "); duplicate points or a rank-deficient metric need a larger ridge", e);
    }
    double[] alpha = y.toDoubles();
    Cholesky.solve(a, n, alpha, y.cols);
    return new KernelPredictor(kernel, x, metric, alpha, y.cols, blocks.rowNorms());
  }

  /**
   * The training-set predictions of a fit, without recomputing the kernel:
   * {@code K alpha = (K + lambda I) alpha - lambda alpha = Y - lambda alpha} (up to the solve's
   * rounding).
   */
  static double[] trainPredictions(KernelPredictor f, Rows y, double ridge) {
    double[] alpha = f.alphaValues();
    double[] out = y.toDoubles();
    for (int i = 0; i < out.length; i++) out[i] -= ridge * alpha[i];
    return out;
  }

  /**
   * The lower triangle (diagonal included) of K(X, X), float64 n x n. Entries above the diagonal
   * are unspecified: block rows compute whole diagonal blocks, and Cholesky reads only the lower part.
   */
  static double[] lowerKernelMatrix(KernelBlocks blocks) {
    int n = blocks.x.n;
    double[] k = new double[n * n];
    int bs = blocks.rowsPerBlock();
    for (int r0 = 0; r0 < n; r0 += bs) {
      int r1 = Math.min(n, r0 + bs);
      blocks.values(r0, r1, 0, r1, k, r0 * n, n);
    }
    return k;
  }
}
