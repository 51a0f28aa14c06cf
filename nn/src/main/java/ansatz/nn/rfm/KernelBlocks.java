package ansatz.nn.rfm;

import ansatz.autograd.kernel.Gemm;
import java.util.stream.IntStream;

/**
 * Kernel values, or gradient weights, between the rows of X and the rows of Z under a metric M,
 * one rectangular block at a time. Squared distances come from one GEMM per block:
 * {@code ||x - z||_M^2 = ||x||_M^2 + ||z||_M^2 - 2 (x M) . z}, clamped at 0 (the expansion can
 * round below zero). The GEMM runs in the data's type; everything after it in float64.
 */
final class KernelBlocks {
  /** Default entries per block (kernel values plus GEMM scratch stay around 12 MB). */
  static final int BLOCK_ENTRIES = 1 << 20;

  /** Entries per block; tests lower it to exercise the blocking on small inputs. */
  static volatile int blockEntries = BLOCK_ENTRIES;

  final Kernel kernel;
  final Rows x;
  final Rows z;
  private final Rows xm;
  private final double[] xNorms;
  private final double[] zNorms;

  /** @param x rows of the kernel matrix, z its columns; both of the same type and width as M */
  KernelBlocks(Kernel kernel, Rows x, Rows z, Metric metric) {
    this(kernel, x, z, metric, null);
  }

  /**
   * @param zNorms the ||z||_M^2 of the columns if already known (a fitted model keeps its
   *     centers' norms, saving an n x d x d product per call), else null
   */
  KernelBlocks(Kernel kernel, Rows x, Rows z, Metric metric, double[] zNorms) {
    if (x.dtype() != z.dtype()) throw new IllegalArgumentException("KernelBlocks: X is " + x.dtype() + " but Z is " + z.dtype());
    this.kernel = kernel;
    this.x = x;
    this.z = z;
    this.xm = metric.applyTo(x);
    this.xNorms = xm.rowDots(x);
    this.zNorms = zNorms != null ? zNorms : z == x ? xNorms : metric.applyTo(z).rowDots(z);
  }

  /** {@return ||x_i||_M^2 for the rows} */
  double[] rowNorms() {
    return xNorms;
  }

  /** {@return how many rows of X to process at once so that a block of all Z columns stays bounded} */
  int rowsPerBlock() {
    return Math.max(1, Math.min(x.n, blockEntries / Math.max(1, z.n)));
  }

  /** Writes K(x_r, z_c) for r in [r0, r1), c in [c0, c1) to {@code out[off + (r-r0)*ld + (c-c0)]}. */
  void values(int r0, int r1, int c0, int c1, double[] out, int off, int ld) {
    squaredDistances(r0, r1, c0, c1, out, off, ld);
    int cols = c1 - c0;
    forRows(r1 - r0, (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int o = off + r * ld;
        for (int c = 0; c < cols; c++) out[o + c] = kernel.value(out[o + c]);
      }
    });
  }

  /**
   * Writes the gradient weights w(x_r, z_c), with {@code grad_x K(x, z) = w M (z - x)}, to the
   * block as in {@link #values}. Identical points, and pairs closer than
   * {@link KernelType#SELF_DISTANCE}, get weight 0 (the self term). A pair at distance exactly 0
   * has {@code M (z - x) = 0}, so weight 0 is exact there for both kernels.
   */
  void gradientWeights(int r0, int r1, int c0, int c1, double[] out, int off, int ld) {
    squaredDistances(r0, r1, c0, c1, out, off, ld);
    int cols = c1 - c0;
    forRows(r1 - r0, (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int o = off + r * ld;
        for (int c = 0; c < cols; c++) {
          double r2 = out[o + c];
          out[o + c] = r2 == 0 ? 0 : kernel.gradientWeight(kernel.value(r2), r2);
        }
      }
    });
  }

  /**
   * Squared Mahalanobis distances of the block, clamped at 0. Identical rows get exactly 0: the
   * expansion leaves rounding noise of about eps ||x||_M^2 there, which the Laplace kernel's square
   * root would blow up to sqrt(eps) ||x||_M (so K(x, x) would be 1 - 1e-8 instead of 1, and the
   * self term's distance far above {@link KernelType#SELF_DISTANCE}). Distinct but nearly equal
   * points keep that rounding, as in any GEMM-based kernel.
   */
  void squaredDistances(int r0, int r1, int c0, int c1, double[] out, int off, int ld) {
    int rows = r1 - r0, cols = c1 - c0, d = x.cols;
    if (rows <= 0 || cols <= 0) return;
    // Any identical pair rounds to below this fraction of ||x||^2 + ||z||^2 (generously).
    double nearZero = x.f != null ? 1e-3 : 1e-8;
    if (x.f != null) {
      float[] g = new float[rows * cols];
      Gemm.sgemm(false, true, rows, cols, d, 1f, xm.f, r0 * d, d, z.f, c0 * d, d, 0f, g, 0, cols);
      forRows(rows, (lo, hi) -> {
        for (int r = lo; r < hi; r++) {
          double xn = xNorms[r0 + r];
          int o = off + r * ld;
          for (int c = 0; c < cols; c++) out[o + c] = distance(xn, zNorms[c0 + c], g[r * cols + c], r0 + r, c0 + c, nearZero);
        }
      });
    } else {
      double[] g = new double[rows * cols];
      Gemm.dgemm(false, true, rows, cols, d, 1.0, xm.d, r0 * d, d, z.d, c0 * d, d, 0.0, g, 0, cols);
      forRows(rows, (lo, hi) -> {
        for (int r = lo; r < hi; r++) {
          double xn = xNorms[r0 + r];
          int o = off + r * ld;
          for (int c = 0; c < cols; c++) out[o + c] = distance(xn, zNorms[c0 + c], g[r * cols + c], r0 + r, c0 + c, nearZero);
        }
      });
    }
  }

  private double distance(double xn, double zn, double dot, int i, int j, double nearZero) {
    double r2 = xn + zn - 2.0 * dot;
    if (r2 <= nearZero * (xn + zn) && sameRow(i, j)) return 0;
    return Math.max(r2, 0);
  }

  /** {@return true if row i of X equals row j of Z exactly} */
  private boolean sameRow(int i, int j) {
    if (x == z && i == j) return true;
    int d = x.cols;
    for (int p = 0; p < d; p++) if (x.get(i, p) != z.get(j, p)) return false;
    return true;
  }

  /** A loop body over rows [lo, hi) of a block. */
  interface RowRange {
    void run(int lo, int hi);
  }

  /**
   * Runs the body over [0, rows) split into chunks on the common pool. Elementwise work only:
   * each entry is computed the same way in any chunk, so results do not depend on the split.
   */
  static void forRows(int rows, RowRange body) {
    int chunks = Math.max(1, Math.min(rows / 8, 4 * Runtime.getRuntime().availableProcessors()));
    if (chunks == 1) {
      body.run(0, rows);
      return;
    }
    IntStream.range(0, chunks).parallel().forEach(c -> body.run((int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks)));
  }
}
