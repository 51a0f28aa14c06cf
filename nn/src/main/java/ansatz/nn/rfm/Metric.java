package ansatz.nn.rfm;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;

/**
 * A validated Mahalanobis matrix M (d x d, symmetric, float64) with a flag for the diagonal case,
 * where {@code X M} is a column scaling instead of a GEMM.
 */
final class Metric {
  /** Relative tolerance of the symmetry check: float32 round trips must pass, real asymmetry not. */
  static final double SYMMETRY_TOLERANCE = 1e-5;

  final int dim;
  final double[] values;
  final boolean diagonal;

  private Metric(int dim, double[] values) {
    this.dim = dim;
    this.values = values;
    boolean diag = true;
    for (int i = 0; i < dim && diag; i++) {
      for (int j = 0; j < dim; j++) {
        if (i != j && values[i * dim + j] != 0) {
          diag = false;
          break;
        }
      }
    }
    this.diagonal = diag;
  }

  static Metric identity(int dim) {
    double[] v = new double[dim * dim];
    for (int i = 0; i < dim; i++) v[i * dim + i] = 1;
    return new Metric(dim, v);
  }

  /** Wraps a symmetric d x d array (not copied, not checked: for matrices this package built). */
  static Metric trusted(int dim, double[] values) {
    return new Metric(dim, values);
  }

  /**
   * Checks a user-supplied metric: a finite, square, symmetric d x d matrix. Rounding-level
   * asymmetry is removed by averaging M with its transpose.
   */
  static Metric of(String op, Tensor m, int dim) {
    if (m == null) throw new IllegalArgumentException(op + ": metric M is null");
    if (m.dim() != 2 || m.size(0) != m.size(1)) {
      throw new IllegalArgumentException(op + ": metric M must be a square matrix, got shape " + java.util.Arrays.toString(m.shape()));
    }
    if (m.size(0) != dim) {
      throw new IllegalArgumentException(op + ": metric M is " + m.size(0) + " x " + m.size(1) + " but the data have " + dim + " features");
    }
    double[] v = m.toDoubleArray();
    double maxAbs = 0;
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(op + ": metric M has a non-finite entry " + v[i] + " at (" + i / dim + ", " + i % dim + ")");
      }
      maxAbs = Math.max(maxAbs, Math.abs(v[i]));
    }
    double tol = SYMMETRY_TOLERANCE * maxAbs;
    for (int i = 0; i < dim; i++) {
      for (int j = i + 1; j < dim; j++) {
        double a = v[i * dim + j], b = v[j * dim + i];
        if (Math.abs(a - b) > tol) {
          throw new IllegalArgumentException(op + ": metric M is not symmetric: M[" + i + "][" + j + "] = " + a + " but M[" + j + "][" + i + "] = " + b);
        }
        v[i * dim + j] = v[j * dim + i] = 0.5 * (a + b);
      }
    }
    return new Metric(dim, v);
  }

  /** {@return X M in X's type (a column scaling when M is diagonal)} */
  Rows applyTo(Rows x) {
    if (!diagonal) return x.timesSymmetric(values);
    return x.scaleColumns(diagonalValues());
  }

  double[] diagonalValues() {
    double[] diag = new double[dim];
    for (int i = 0; i < dim; i++) diag[i] = values[i * dim + i];
    return diag;
  }

  /** {@return M as a float64 d x d tensor (a copy)} */
  Tensor tensor() {
    return Tensor.of(values, dim, dim);
  }

  /** {@return M in the given type as a tensor (a copy)} */
  Tensor tensor(DType type) {
    return tensor().to(type);
  }
}
