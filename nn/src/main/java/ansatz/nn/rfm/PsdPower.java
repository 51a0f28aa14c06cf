package ansatz.nn.rfm;

import ansatz.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Powers of symmetric positive semidefinite matrices by eigendecomposition (EJML's symmetric
 * solver): {@code A^p = V diag(max(lambda, 0)^p) V^T}. Negative eigenvalues -- rounding noise of a
 * PSD matrix -- are clamped to 0, so the result is always real and PSD.
 */
public final class PsdPower {
  private PsdPower() {}

  /**
   * @param a a symmetric d x d matrix, any type
   * @param p the power, &gt;= 0 (p = 0 gives the identity, since 0^0 = 1)
   * @return A^p as float64
   * @throws IllegalArgumentException if A is not square, not symmetric or not finite, or p &lt; 0
   */
  public static Tensor power(Tensor a, double p) {
    if (a == null || a.dim() != 2) throw new IllegalArgumentException("PsdPower.power: expected a square matrix, got " + (a == null ? "null" : java.util.Arrays.toString(a.shape())));
    Metric m = Metric.of("PsdPower.power", a, a.size(0));
    return Tensor.wrap(power(m.values, m.dim, p), m.dim, m.dim);
  }

  /** {@return the PSD square root A^{1/2} (float64)} */
  public static Tensor sqrt(Tensor a) {
    return power(a, 0.5);
  }

  /** Power of a symmetric row-major d x d array (not checked), float64. */
  static double[] power(double[] a, int d, double p) {
    if (!(p >= 0) || Double.isInfinite(p)) throw new IllegalArgumentException("PsdPower.power: power must be finite and >= 0, got " + p);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(new DMatrixRMaj(d, d, true, a))) {
      throw new IllegalStateException("PsdPower.power: eigendecomposition of a " + d + " x " + d + " matrix did not converge");
    }
    // out = sum_k f(lambda_k) v_k v_k^T, built as (V diag(f)) V^T.
    double[] vs = new double[d * d];
    double[] v = new double[d * d];
    for (int k = 0; k < d; k++) {
      double f = Math.pow(Math.max(eig.getEigenvalue(k).getReal(), 0), p);
      DMatrixRMaj vk = eig.getEigenVector(k);
      for (int i = 0; i < d; i++) {
        v[i * d + k] = vk.get(i, 0);
        vs[i * d + k] = vk.get(i, 0) * f;
      }
    }
    double[] out = new double[d * d];
    ansatz.autograd.kernel.Gemm.dgemm(false, true, d, d, d, 1.0, vs, 0, d, v, 0, d, 0.0, out, 0, d);
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        double s = 0.5 * (out[i * d + j] + out[j * d + i]);
        out[i * d + j] = s;
        out[j * d + i] = s;
      }
    }
    return out;
  }
}
