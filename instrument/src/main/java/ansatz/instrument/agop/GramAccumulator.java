package ansatz.instrument.agop;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;
import ansatz.autograd.kernel.Parallel;

/**
 * Streams S = sum over batches of G^T G (d x d, float64) for row blocks G (m x d) that arrive one
 * at a time: the memory is O(d^2) whatever the number of rows. The block may also arrive
 * transposed ({@link #addColumns}: X = G^T, d x m), or as a precomputed symmetric matrix
 * ({@link #addSymmetric}, for tangent features whose Gram has a closed form).
 *
 * <p>S is symmetric, so only its lower block triangle is computed: one GEMM per block of
 * {@value #BLOCK} rows, over the columns up to the block's diagonal, a little over half the work
 * of the full product for wide layers; {@link #sum()} mirrors the result. Float32 rows are
 * multiplied in float32 (one block of rows at a time, so the float32 sums are short) and added
 * into the float64 total.
 */
final class GramAccumulator {
  // Row block of the lower triangle: 128 computes 56% of a full 1024 x 1024 product (measured 15-20%
  // faster than pairs of 256 x 256 blocks, 62%, at the probes' 1024 x 4090 blocks).
  static final int BLOCK = 128;
  // Widest Gram computed by addNarrow, and its rows per parallel piece.
  private static final int NARROW = 64;
  private static final int PIECE = 8192;
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
    Tensor dense = g.copyIfNotDense();
    Object a = g.dtype() == DType.FLOAT64 ? dense.doubles() : dense.floats();
    addProduct(a, m, false, d);
    if (colSums != null) {
      if (a instanceof double[] x) for (int r = 0; r < m; r++) for (int c = 0; c < d; c++) colSums[c] += x[r * d + c];
      else if (a instanceof float[] x) for (int r = 0; r < m; r++) for (int c = 0; c < d; c++) colSums[c] += x[r * d + c];
    }
  }

  /**
   * Adds X X^T for the first {@code m} columns of X, a row-major d x {@code ld} block of a
   * {@code float[]} or {@code double[]} starting at 0: the same as {@link #add} of G = X^T.
   */
  void addColumns(Object x, int m, int ld) {
    if (m == 0) return;
    addProduct(x, m, true, ld);
  }

  /** Adds a precomputed symmetric d x d matrix (row-major) that sums the outer products of {@code rowCount} rows. */
  void addSymmetric(double[] s, long rowCount) {
    if (s.length != d * d) throw new IllegalArgumentException("GramAccumulator: expected a " + d + " x " + d + " matrix, got " + s.length + " entries");
    for (int i = 0; i < s.length; i++) sum[i] += s[i];
    rows += rowCount;
  }

  /**
   * The lower block triangle of op(A)^T op(A), one GEMM per block of {@value #BLOCK} rows of the
   * result, over the columns up to its diagonal: for rows (A is m x d, leading dimension d) row
   * block i0 is A[:, i0]^T A[:, 0..], for columns (A is d x m) it is A[i0, :] A[0.., :]^T.
   */
  private void addProduct(Object a, int m, boolean columns, int ld) {
    rows += m;
    if (d <= NARROW && m >= 2 * PIECE) {
      addNarrow(a, m, columns, ld);
      return;
    }
    int bs = blockSize(d);
    for (int i0 = 0; i0 < d; i0 += bs) {
      int bi = Math.min(bs, d - i0), cols = i0 + bi;
      int aOff = columns ? i0 * ld : i0;
      if (a instanceof double[] x) {
        Gemm.dgemm(!columns, columns, bi, cols, m, 1.0, x, aOff, ld, x, 0, ld, 1.0, sum, i0 * d, d);
      } else {
        float[] x = (float[]) a;
        if (scratch == null) scratch = new float[d * d];
        Gemm.sgemm(!columns, columns, bi, cols, m, 1f, x, aOff, ld, x, 0, ld, 0f, scratch, i0 * d, d);
        addBlock(i0, bi, cols);
      }
    }
  }

  /** sum += scratch over rows [i0, i0 + bi), columns [0, cols) (a loop of its own: small methods compile fast). */
  private void addBlock(int i0, int bi, int cols) {
    for (int i = i0; i < i0 + bi; i++) {
      int off = i * d;
      for (int j = 0; j < cols; j++) sum[off + j] += scratch[off + j];
    }
  }

  /** Rows per block of the lower triangle: all of them (one full GEMM) for a narrow Gram. */
  private static int blockSize(int d) {
    return d <= 2 * BLOCK ? d : BLOCK;
  }

  /**
   * A narrow Gram (d &lt;= {@value #NARROW}) of many rows: a GEMM with so small an output runs on
   * one thread, so the rows are cut into pieces of {@value #PIECE} whose products run in parallel
   * and are then added in piece order (fixed pieces: the same sums whatever the thread count).
   */
  private void addNarrow(Object a, int m, boolean columns, int ld) {
    int pieces = Math.ceilDiv(m, PIECE);
    double[][] partial = new double[pieces][];
    Parallel.forRange(pieces, 1, (from, to) -> {
      for (int p = from; p < to; p++) {
        int r0 = p * PIECE, count = Math.min(PIECE, m - r0), off = columns ? r0 : r0 * ld;
        double[] out = new double[d * d];
        if (a instanceof double[] x) {
          Gemm.dgemm(!columns, columns, d, d, count, 1.0, x, off, ld, x, off, ld, 0.0, out, 0, d);
        } else {
          float[] part = new float[d * d];
          Gemm.sgemm(!columns, columns, d, d, count, 1f, (float[]) a, off, ld, (float[]) a, off, ld, 0f, part, 0, d);
          for (int i = 0; i < part.length; i++) out[i] = part[i];
        }
        partial[p] = out;
      }
    });
    for (double[] part : partial) for (int i = 0; i < part.length; i++) sum[i] += part[i];
  }

  /** {@return the number of rows added so far} */
  long rows() {
    return rows;
  }

  /** {@return a fresh full symmetric copy of sum G^T G} */
  double[] sum() {
    double[] out = sum.clone();
    int bs = blockSize(d);
    // Blocks strictly above the diagonal block row were never computed: copy them from below.
    for (int i = 0; i < d; i++) {
      int blockEnd = Math.min(d, (i / bs + 1) * bs);
      for (int j = blockEnd; j < d; j++) out[i * d + j] = out[j * d + i];
    }
    return out;
  }
}
