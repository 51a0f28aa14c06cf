package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;

/**
 * A fitted kernel machine {@code f(x) = sum_i alpha_i K_M(x, x_i)} (one row of alpha per training
 * point, one column per output), made by {@link KernelRidge}. Predictions, input Jacobians and the
 * AGOP are all computed block by block with GEMMs, so memory stays O(block x n).
 */
public final class KernelPredictor {
  private final Kernel kernel;
  private final Rows centers;
  private final Metric metric;
  private final double[] alpha;
  private final int outputs;
  private final double[] centerNorms;

  /** @param centerNorms ||x_i||_M^2 of the centers */
  KernelPredictor(Kernel kernel, Rows centers, Metric metric, double[] alpha, int outputs, double[] centerNorms) {
    this.kernel = kernel;
    this.centers = centers;
    this.metric = metric;
    this.alpha = alpha;
    this.outputs = outputs;
    this.centerNorms = centerNorms;
  }

  /** {@return blocks of kernel values between the points and the centers} */
  KernelBlocks blocksTo(Rows points) {
    return new KernelBlocks(kernel, points, centers, metric, centerNorms);
  }

  /** {@return the kernel (type and bandwidth)} */
  public Kernel kernel() {
    return kernel;
  }

  /** {@return the number of outputs c} */
  public int outputs() {
    return outputs;
  }

  /** {@return the number of input features d} */
  public int features() {
    return centers.cols;
  }

  /** {@return the metric M (float64 d x d copy)} */
  public Tensor metric() {
    return metric.tensor();
  }

  /** {@return the coefficients alpha (float64, n x c copy)} */
  public Tensor alpha() {
    return Tensor.of(alpha, centers.n, outputs);
  }

  /** {@return the training points (the kernel's centers), in their own type (a copy)} */
  public Tensor centerPoints() {
    return centers.tensor().copyData();
  }

  Rows centers() {
    return centers;
  }

  Metric metricInternal() {
    return metric;
  }

  double[] alphaValues() {
    return alpha;
  }

  /**
   * @param x points (m x d), any type (converted to the training data's type)
   * @return predictions, float64, shape (m, c)
   */
  public Tensor predict(Tensor x) {
    Rows p = points("KernelPredictor.predict", x);
    return Tensor.wrap(predict(p), p.n, outputs);
  }

  /** Predictions for points already in the centers' type, float64 m x c row-major. */
  double[] predict(Rows p) {
    int n = centers.n;
    double[] out = new double[p.n * outputs];
    KernelBlocks blocks = blocksTo(p);
    int bs = blocks.rowsPerBlock();
    double[] k = new double[bs * n];
    for (int r0 = 0; r0 < p.n; r0 += bs) {
      int r1 = Math.min(p.n, r0 + bs);
      blocks.values(r0, r1, 0, n, k, 0, n);
      Gemm.dgemm(false, false, r1 - r0, outputs, n, 1.0, k, 0, n, alpha, 0, outputs, 0.0, out, r0 * outputs, outputs);
    }
    return out;
  }

  /**
   * Analytic input Jacobians {@code d f_k / d x} at the given points:
   * {@code (1/L) sum_i alpha_ik K(x, x_i) / ||x - x_i||_M  M (x_i - x)} for the Laplace kernel,
   * with the term of a training point equal to x dropped; {@code (1/L^2) sum_i alpha_ik K M (x_i - x)}
   * for the Gaussian.
   *
   * @return float64 tensor of shape (m, c, d)
   */
  public Tensor jacobians(Tensor x) {
    Rows p = points("KernelPredictor.jacobians", x);
    return Tensor.wrap(KernelGradients.jacobians(this, p), p.n, outputs, centers.cols);
  }

  /**
   * The AGOP {@code (1/m) sum_s J(x_s)^T J(x_s)} of this predictor at the given points (float64
   * d x d).
   *
   * @param x the points (m x d)
   * @param centered subtract each output's mean gradient over the points before the outer products
   */
  public Tensor agop(Tensor x, boolean centered) {
    Rows p = points("KernelPredictor.agop", x);
    return Tensor.wrap(KernelGradients.agop(this, p, centered, false), centers.cols, centers.cols);
  }

  private Rows points(String op, Tensor x) {
    Rows p = Checks.features(op, "x", x);
    Checks.sameFeatures(op, "x", p, "the training data", centers);
    return p.to(centers.dtype());
  }

  /** {@return the type of the training data, in which the kernel GEMMs run} */
  public DType dtype() {
    return centers.dtype();
  }
}
