package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.autograd.kernel.Gemm;

/**
 * A dense row-major n x d matrix of float32 or float64 values: the form in which the kernel code
 * reads data. Exactly one of {@link #f} and {@link #d} is non-null. Heavy products go through
 * {@link Gemm} in the matrix's own type, so float32 data gets float32 speed.
 */
final class Rows {
  final int n;
  final int cols;
  final float[] f;
  final double[] d;

  private Rows(int n, int cols, float[] f, double[] d) {
    this.n = n;
    this.cols = cols;
    this.f = f;
    this.d = d;
  }

  static Rows wrap(float[] f, int n, int cols) {
    return new Rows(n, cols, f, null);
  }

  static Rows wrap(double[] d, int n, int cols) {
    return new Rows(n, cols, null, d);
  }

  static Rows zeros(DType type, int n, int cols) {
    return type == DType.FLOAT32 ? wrap(new float[n * cols], n, cols) : wrap(new double[n * cols], n, cols);
  }

  /** Reads a 2-D tensor (no copy when it is already dense). */
  static Rows of(Tensor t) {
    if (t.dim() != 2) throw new IllegalArgumentException("Rows.of: expected a 2-D tensor, got " + t.dim() + "-D");
    Tensor c = t.copyIfNotDense();
    int n = t.size(0), m = t.size(1);
    return t.dtype() == DType.FLOAT32 ? wrap(c.storage().f, n, m) : wrap(c.storage().d, n, m);
  }

  DType dtype() {
    return f != null ? DType.FLOAT32 : DType.FLOAT64;
  }

  double get(int i, int j) {
    return f != null ? f[i * cols + j] : d[i * cols + j];
  }

  void set(int i, int j, double v) {
    if (f != null) f[i * cols + j] = (float) v;
    else d[i * cols + j] = v;
  }

  /** {@return a tensor sharing this matrix's array} */
  Tensor tensor() {
    return f != null ? Tensor.wrap(f, n, cols) : Tensor.wrap(d, n, cols);
  }

  /** {@return the same values in the given type (this matrix if it already has it)} */
  Rows to(DType type) {
    if (type == dtype()) return this;
    Rows out = zeros(type, n, cols);
    int len = n * cols;
    if (type == DType.FLOAT32) for (int i = 0; i < len; i++) out.f[i] = (float) d[i];
    else for (int i = 0; i < len; i++) out.d[i] = f[i];
    return out;
  }

  /** {@return the values as a fresh double array} */
  double[] toDoubles() {
    if (d != null) return d.clone();
    double[] out = new double[f.length];
    for (int i = 0; i < out.length; i++) out[i] = f[i];
    return out;
  }

  /** {@return the selected rows, in order, as a new matrix} */
  Rows select(int[] idx) {
    Rows out = zeros(dtype(), idx.length, cols);
    for (int r = 0; r < idx.length; r++) {
      if (f != null) System.arraycopy(f, idx[r] * cols, out.f, r * cols, cols);
      else System.arraycopy(d, idx[r] * cols, out.d, r * cols, cols);
    }
    return out;
  }

  /** {@return rows r0 (inclusive) to r1 (exclusive) as a new matrix} */
  Rows slice(int r0, int r1) {
    Rows out = zeros(dtype(), r1 - r0, cols);
    if (f != null) System.arraycopy(f, r0 * cols, out.f, 0, (r1 - r0) * cols);
    else System.arraycopy(d, r0 * cols, out.d, 0, (r1 - r0) * cols);
    return out;
  }

  /** {@return {@code sum_j this[i][j] * other[i][j]} for every row i, accumulated in double} */
  double[] rowDots(Rows other) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      int o = i * cols;
      if (f != null) for (int j = 0; j < cols; j++) s += (double) f[o + j] * other.f[o + j];
      else for (int j = 0; j < cols; j++) s += d[o + j] * other.d[o + j];
      out[i] = s;
    }
    return out;
  }

  /**
   * {@return this (n x k) times a symmetric k x k float64 matrix, in this matrix's type. Symmetry
   *     lets the GEMM read the matrix by rows (as its transpose), the layout every GEMM reads fastest.}
   */
  Rows timesSymmetric(double[] m) {
    if (m.length != cols * cols) throw new IllegalArgumentException("Rows.timesSymmetric: " + m.length + " values for a " + cols + " x " + cols + " matrix");
    Rows out = zeros(dtype(), n, cols);
    if (f != null) {
      float[] mf = new float[m.length];
      for (int i = 0; i < m.length; i++) mf[i] = (float) m[i];
      Gemm.sgemm(false, true, n, cols, cols, 1f, f, 0, cols, mf, 0, cols, 0f, out.f, 0, cols);
    } else {
      Gemm.dgemm(false, true, n, cols, cols, 1.0, d, 0, cols, m, 0, cols, 0.0, out.d, 0, cols);
    }
    return out;
  }

  /** {@return the transpose (cols x n), same type} */
  Rows transpose() {
    Rows out = zeros(dtype(), cols, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < cols; j++) {
        if (f != null) out.f[j * n + i] = f[i * cols + j];
        else out.d[j * n + i] = d[i * cols + j];
      }
    }
    return out;
  }

  /** {@return this matrix with column j multiplied by {@code scale[j]}} */
  Rows scaleColumns(double[] scale) {
    Rows out = zeros(dtype(), n, cols);
    for (int i = 0; i < n; i++) {
      int o = i * cols;
      if (f != null) for (int j = 0; j < cols; j++) out.f[o + j] = (float) (f[o + j] * scale[j]);
      else for (int j = 0; j < cols; j++) out.d[o + j] = d[o + j] * scale[j];
    }
    return out;
  }
}
