package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;

/**
 * Kernel matrices {@code K[i][j] = K_M(x_i, z_j)} computed through GEMM, one block of rows at a
 * time: {@code ||x - z||_M^2 = ||x||_M^2 + ||z||_M^2 - 2 x M z^T}, clamped at 0.
 */
public final class KernelMatrix {
  private KernelMatrix() {}

  /**
   * @param x rows (n x d), float32 or float64
   * @param z columns (m x d); converted to x's type if it differs
   * @param metric M (d x d, symmetric), or null for the identity
   * @param kernel kernel and bandwidth
   * @return the n x m kernel matrix in x's type
   */
  public static Tensor of(Tensor x, Tensor z, Tensor metric, Kernel kernel) {
    String op = "KernelMatrix.of";
    if (kernel == null) throw new IllegalArgumentException(op + ": kernel is null");
    Rows xr = Checks.features(op, "x", x);
    Rows zr = Checks.features(op, "z", z).to(xr.dtype());
    Checks.sameFeatures(op, "x", xr, "z", zr);
    Metric m = metric == null ? Metric.identity(xr.cols) : Metric.of(op, metric, xr.cols);
    KernelBlocks blocks = new KernelBlocks(kernel, xr, zr, m);
    int n = xr.n, cols = zr.n, bs = blocks.rowsPerBlock();
    Tensor out = Tensor.zeros(xr.dtype(), n, cols);
    double[] block = new double[bs * cols];
    for (int r0 = 0; r0 < n; r0 += bs) {
      int r1 = Math.min(n, r0 + bs);
      blocks.values(r0, r1, 0, cols, block, 0, cols);
      int len = (r1 - r0) * cols;
      if (xr.dtype() == DType.FLOAT32) {
        float[] f = out.storage().f;
        for (int i = 0; i < len; i++) f[r0 * cols + i] = (float) block[i];
      } else {
        System.arraycopy(block, 0, out.storage().d, r0 * cols, len);
      }
    }
    return out;
  }
}
