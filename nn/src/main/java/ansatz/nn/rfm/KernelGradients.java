package ansatz.nn.rfm;

import ansatz.autograd.kernel.Gemm;

/**
 * Input gradients of a fitted kernel predictor {@code f_k(x) = sum_i alpha_ik K(x, x_i)}, with
 * matrix products only. For a point p:
 *
 * <pre>
 *   grad f_k(p) = M v_k(p),   v_k(p) = sum_i w(p, x_i) alpha_ik (x_i - p)
 *               = M ( [W diag(alpha_k) X]_p - [W alpha_k]_p p )
 * </pre>
 *
 * with W the gradient-weight matrix of {@link KernelBlocks#gradientWeights} (Laplace:
 * {@code K / (L ||p - x_i||_M)}, self term 0; Gaussian: {@code K / L^2}). So for a block of b points
 * and each output, one b x n by n x d GEMM gives all the v's; M is applied once at the end.
 */
final class KernelGradients {
  private KernelGradients() {}

  /** Receives, for points s0..s1-1 and output k, the b x d matrix V of the v_k's (data type). */
  interface BlockConsumer {
    void accept(int s0, int s1, int k, Rows v);
  }

  /** Streams the v's of every point and output, block by block (memory O(b n + b d)). */
  static void forEachBlock(KernelPredictor f, Rows points, BlockConsumer consumer) {
    Rows x = f.centers();
    int n = x.n, d = x.cols, c = f.outputs();
    double[] alpha = f.alphaValues();
    KernelBlocks blocks = f.blocksTo(points);
    Rows xt = x.transpose(); // d x n: the GEMM below then reads both operands by rows
    int bs = blocks.rowsPerBlock();
    double[] w = new double[bs * n];
    for (int s0 = 0; s0 < points.n; s0 += bs) {
      int s1 = Math.min(points.n, s0 + bs), b = s1 - s0;
      blocks.gradientWeights(s0, s1, 0, n, w, 0, n);
      for (int k = 0; k < c; k++) {
        double[] rowSum = new double[b];
        Rows v = Rows.zeros(x.dtype(), b, d);
        if (x.f != null) {
          float[] wk = new float[b * n];
          for (int s = 0; s < b; s++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
              double t = w[s * n + i] * alpha[i * c + k];
              wk[s * n + i] = (float) t;
              sum += t;
            }
            rowSum[s] = sum;
          }
          Gemm.sgemm(false, true, b, d, n, 1f, wk, 0, n, xt.f, 0, n, 0f, v.f, 0, d);
          for (int s = 0; s < b; s++) {
            int ps = (s0 + s) * d;
            for (int j = 0; j < d; j++) v.f[s * d + j] = (float) (v.f[s * d + j] - rowSum[s] * points.f[ps + j]);
          }
        } else {
          double[] wk = new double[b * n];
          for (int s = 0; s < b; s++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
              double t = w[s * n + i] * alpha[i * c + k];
              wk[s * n + i] = t;
              sum += t;
            }
            rowSum[s] = sum;
          }
          Gemm.dgemm(false, true, b, d, n, 1.0, wk, 0, n, xt.d, 0, n, 0.0, v.d, 0, d);
          for (int s = 0; s < b; s++) {
            int ps = (s0 + s) * d;
            for (int j = 0; j < d; j++) v.d[s * d + j] -= rowSum[s] * points.d[ps + j];
          }
        }
        consumer.accept(s0, s1, k, v);
      }
    }
  }

  /** {@return the Jacobians, float64 (points x outputs x d), row-major} */
  static double[] jacobians(KernelPredictor f, Rows points) {
    int c = f.outputs(), d = f.centers().cols;
    double[] raw = new double[points.n * c * d];
    forEachBlock(f, points, (s0, s1, k, v) -> {
      for (int s = s0; s < s1; s++) {
        for (int j = 0; j < d; j++) raw[(s * c + k) * d + j] = v.get(s - s0, j);
      }
    });
    Metric m = f.metricInternal();
    if (m.diagonal) {
      double[] diag = m.diagonalValues();
      for (int r = 0; r < points.n * c; r++) for (int j = 0; j < d; j++) raw[r * d + j] *= diag[j];
      return raw;
    }
    double[] out = new double[raw.length];
    // Rows of raw are v^T; v^T M = v^T M^T = (M v)^T since M is symmetric.
    Gemm.dgemm(false, true, points.n * c, d, d, 1.0, raw, 0, d, m.values, 0, d, 0.0, out, 0, d);
    return out;
  }

  /**
   * The AGOP {@code (1/m) sum_s sum_k grad f_k(p_s) grad f_k(p_s)^T} over the m points, float64
   * d x d. With {@code centered}, each output's mean gradient over the points is subtracted first.
   * With {@code diagonalOnly}, only the diagonal is computed (off-diagonal entries are 0); it is
   * exact when M is diagonal, and otherwise falls back to the full product.
   */
  static double[] agop(KernelPredictor f, Rows points, boolean centered, boolean diagonalOnly) {
    int c = f.outputs(), d = f.centers().cols, m = points.n;
    Metric metric = f.metricInternal();
    boolean diagOnly = diagonalOnly && metric.diagonal;
    double[] gram = new double[diagOnly ? d : d * d];
    double[] colSums = new double[c * d];
    float[] scratchF = f.centers().f != null && !diagOnly ? new float[d * d] : null;
    double[] scratchD = f.centers().d != null && !diagOnly ? new double[d * d] : null;
    forEachBlock(f, points, (s0, s1, k, v) -> {
      int b = s1 - s0;
      for (int s = 0; s < b; s++) for (int j = 0; j < d; j++) colSums[k * d + j] += v.get(s, j);
      if (diagOnly) {
        for (int s = 0; s < b; s++) {
          for (int j = 0; j < d; j++) {
            double t = v.get(s, j);
            gram[j] += t * t;
          }
        }
      } else {
        Rows vt = v.transpose(); // V^T V as (V^T)(V^T)^T: both operands read by rows
        if (vt.f != null) {
          Gemm.sgemm(false, true, d, d, b, 1f, vt.f, 0, b, vt.f, 0, b, 0f, scratchF, 0, d);
          for (int i = 0; i < d * d; i++) gram[i] += scratchF[i];
        } else {
          Gemm.dgemm(false, true, d, d, b, 1.0, vt.d, 0, b, vt.d, 0, b, 0.0, scratchD, 0, d);
          for (int i = 0; i < d * d; i++) gram[i] += scratchD[i];
        }
      }
    });
    for (int i = 0; i < gram.length; i++) gram[i] /= m;
    if (centered) {
      for (int k = 0; k < c; k++) {
        for (int i = 0; i < d; i++) {
          double mi = colSums[k * d + i] / m;
          if (diagOnly) {
            gram[i] -= mi * mi;
          } else {
            for (int j = 0; j < d; j++) gram[i * d + j] -= mi * colSums[k * d + j] / m;
          }
        }
      }
    }
    if (diagOnly) {
      double[] diag = metric.diagonalValues();
      double[] out = new double[d * d];
      for (int i = 0; i < d; i++) out[i * d + i] = diag[i] * diag[i] * gram[i];
      return out;
    }
    double[] out = sandwich(metric, gram, d);
    if (diagonalOnly) {
      for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) if (i != j) out[i * d + j] = 0;
    }
    return out;
  }

  /** {@return M S M (symmetrized against rounding)} */
  private static double[] sandwich(Metric metric, double[] s, int d) {
    double[] out = new double[d * d];
    if (metric.diagonal) {
      double[] diag = metric.diagonalValues();
      for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) out[i * d + j] = diag[i] * s[i * d + j] * diag[j];
    } else {
      // M S M with symmetric M and S: T = M S^T, then T M^T; both GEMMs read operands by rows.
      double[] ms = new double[d * d];
      Gemm.dgemm(false, true, d, d, d, 1.0, metric.values, 0, d, s, 0, d, 0.0, ms, 0, d);
      Gemm.dgemm(false, true, d, d, d, 1.0, ms, 0, d, metric.values, 0, d, 0.0, out, 0, d);
    }
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        double a = 0.5 * (out[i * d + j] + out[j * d + i]);
        out[i * d + j] = a;
        out[j * d + i] = a;
      }
    }
    return out;
  }
}
