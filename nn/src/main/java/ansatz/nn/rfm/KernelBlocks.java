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
    if (x.dtype() != z.dtype()) throw new IllegalArgumentException("KernelBlocks: X is " + x.dtype() + " but Z is " + z.dtype());
    this.kernel = kernel;
    this.x = x;
    this.z = z;
    this.xm = metric.applyTo(x);
    this.xNorms = xm.rowDots(x);
    this.zNorms = z == x ? xNorms : metric.applyTo(z).rowDots(z);
  }

  /** @return how many rows of X to process at once so that a block of all Z columns stays bounded */
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
   * {@link KernelType#SELF_DISTANCE}, get weight 0 (the self term).
   */
  void gradientWeights(int r0, int r1, int c0, int c1, double[] out, int off, int ld) {
    squaredDistances(r0, r1, c0, c1, out, off, ld);
    int cols = c1 - c0;
    double nearZero = x.f != null ? 1e-3 : 1e-8;
    forRows(r1 - r0, (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        int o = off + r * ld;
        for (int c = 0; c < cols; c++) {
          double r2 = out[o + c];
          // Identical points are the self term: their true distance is 0, but the GEMM expansion
          // leaves rounding noise far above SELF_DISTANCE, so compare the rows themselves.
          if (r2 <= nearZero * (xNorms[r0 + r] + zNorms[c0 + c]) && sameRow(r0 + r, c0 + c)) {
            out[o + c] = 0;
          } else {
            out[o + c] = kernel.gradientWeight(kernel.value(r2), r2);
          }
        }
      }
    });
  }

  /** @return true if row i of X equals row j of Z exactly */
  private boolean sameRow(int i, int j) {
    int d = x.cols;
    for (int p = 0; p < d; p++) if (x.get(i, p) != z.get(j, p)) return false;
    return true;
  }

  /** Squared Mahalanobis distances of the block, clamped at 0. */
  void squaredDistances(int r0, int r1, int c0, int c1, double[] out, int off, int ld) {
    int rows = r1 - r0, cols = c1 - c0, d = x.cols;
    if (rows <= 0 || cols <= 0) return;
    if (x.f != null) {
      float[] g = new float[rows * cols];
      Gemm.sgemm(false, true, rows, cols, d, 1f, xm.f, r0 * d, d, z.f, c0 * d, d, 0f, g, 0, cols);
      forRows(rows, (lo, hi) -> {
        for (int r = lo; r < hi; r++) {
          double xn = xNorms[r0 + r];
          int o = off + r * ld;
          for (int c = 0; c < cols; c++) out[o + c] = Math.max(0, xn + zNorms[c0 + c] - 2.0 * g[r * cols + c]);
        }
      });
    } else {
      double[] g = new double[rows * cols];
      Gemm.dgemm(false, true, rows, cols, d, 1.0, xm.d, r0 * d, d, z.d, c0 * d, d, 0.0, g, 0, cols);
      forRows(rows, (lo, hi) -> {
        for (int r = lo; r < hi; r++) {
          double xn = xNorms[r0 + r];
          int o = off + r * ld;
          for (int c = 0; c < cols; c++) out[o + c] = Math.max(0, xn + zNorms[c0 + c] - 2.0 * g[r * cols + c]);
        }
      });
    }
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
