package ansatz.instrument.ntk;

import ansatz.autograd.Tensor;

/**
 * The k largest eigenpairs of a symmetric matrix.
 *
 * @param values eigenvalues, largest first
 * @param vectors N x k float64, column j the unit eigenvector of {@code values[j]}
 * @param iterations Lanczos steps taken (matrix-vector products)
 * @param maxResidual the largest ||A v - lambda v|| over the k pairs, measured after convergence
 */
public record TopEigen(double[] values, Tensor vectors, int iterations, double maxResidual) {
  /** {@return how many pairs} */
  public int k() {
    return values.length;
  }

  /** {@return the largest eigenvalue} */
  public double max() {
    return values[0];
  }

  /** {@return column j of {@link #vectors()} as an array} */
  public double[] vector(int j) {
    int n = vectors.size(0), k = vectors.size(1);
    double[] all = vectors.toDoubleArray(), v = new double[n];
    for (int i = 0; i < n; i++) v[i] = all[i * k + j];
    return v;
  }
}
