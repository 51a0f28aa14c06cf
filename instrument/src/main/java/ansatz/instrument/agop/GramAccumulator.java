package ansatz.instrument.agop;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;

/**
 * Streams S = sum over batches of G^T G (d x d, float64) for row blocks G (m x d) that arrive one
 * at a time: the memory is O(d^2) whatever the number of rows.
 *
 * <p>S is symmetric, so only its lower block triangle is computed: the columns are cut into
 * blocks of {@value #BLOCK} and one GEMM per block pair (i >= j) adds G_i^T G_j, about half the
 * work of the full product for wide layers; {@link #sum()} mirrors the result. Float32 rows are
 * multiplied in float32 (one batch at a time, so the float32 sums are short) and added into the
 * float64 total.
 */
final class GramAccumulator {
  static final int BLOCK = 256;
  private final int d;
  private final double[] sum;
  private float[] scratch;
  private long rows;

  GramAccumulator(int d) {
    this.d = d;
    this.sum = new double[d * d];
  }

  /**
   * Adds G^T G for {@code g} (m x d, float32 or float64), and its column sums into
   * {@code colSums} unless that is null.
   */
  void add(Tensor g, double[] colSums) {
    if (g.dim() != 2 || g.size(1) != d) {
      throw new IllegalArgumentException("GramAccumulator: expected rows of length " + d + ", got shape " + Shape.str(g.shape()));
    }
    int m = g.size(0);
    if (m == 0) return;
    rows += m;
    Tensor dense = g.copyIfNotDense();
    int bs = d <= 2 * BLOCK ? d : BLOCK;
    if (g.dtype() == DType.FLOAT64) {
      double[] a = dense.doubles();
      for (int i0 = 0; i0 < d; i0 += bs) {
        int bi = Math.min(bs, d - i0);
        for (int j0 = 0; j0 <= i0; j0 += bs) {
          int bj = Math.min(bs, d - j0);
          Gemm.dgemm(true, false, bi, bj, m, 1.0, a, i0, d, a, j0, d, 1.0, sum, i0 * d + j0, d);
        }
      }
      if (colSums != null) for (int r = 0; r < m; r++) for (int c = 0; c < d; c++) colSums[c] += a[r * d + c];
    } else {
      float[] a = dense.floats();
      if (scratch == null) scratch = new float[d * d];
      for (int i0 = 0; i0 < d; i0 += bs) {
        int bi = Math.min(bs, d - i0);
        for (int j0 = 0; j0 <= i0; j0 += bs) {
          int bj = Math.min(bs, d - j0);
          Gemm.sgemm(true, false, bi, bj, m, 1f, a, i0, d, a, j0, d, 0f, scratch, i0 * d + j0, d);
          for (int i = i0; i < i0 + bi; i++) {
            int off = i * d;
            for (int j = j0; j < j0 + bj; j++) sum[off + j] += scratch[off + j];
          }
        }
      }
      if (colSums != null) for (int r = 0; r < m; r++) for (int c = 0; c < d; c++) colSums[c] += a[r * d + c];
    }
  }

  /** {@return the number of rows added so far} */
  long rows() {
    return rows;
  }

  /** {@return a fresh full symmetric copy of sum G^T G} */
  double[] sum() {
    double[] out = sum.clone();
    int bs = d <= 2 * BLOCK ? d : BLOCK;
    // Blocks strictly above the diagonal block row were never computed: copy them from below.
    for (int i = 0; i < d; i++) {
      int blockEnd = Math.min(d, (i / bs + 1) * bs);
      for (int j = blockEnd; j < d; j++) out[i * d + j] = out[j * d + i];
    }
    return out;
  }
}
