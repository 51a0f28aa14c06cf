package ansatz.instrument.math;

import ansatz.autograd.DType;
import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Dense float64 linear algebra for the probes: symmetric eigendecomposition and PSD matrix powers
 * (the AGOP^{1/2} of the ansatz). EJML does the decomposition; results come back as Tensors.
 */
public final class Matrices {
  private Matrices() {}

  /** Eigenvalues (ascending) and the matching eigenvectors as columns. */
  public record Eigen(double[] values, Tensor vectors) {}

  /** @return a float64 EJML copy of a square matrix */
  public static DMatrixRMaj toEjml(Tensor m) {
    requireSquare("toEjml", m);
    int n = m.size(0);
    return new DMatrixRMaj(n, n, true, m.toDoubleArray());
  }

  /** @return an n x n float64 tensor holding the EJML matrix */
  public static Tensor fromEjml(DMatrixRMaj m) {
    return Tensor.of(m.getData().clone(), m.numRows, m.numCols);
  }

  private static void requireSquare(String op, Tensor m) {
    if (m.dim() != 2 || m.size(0) != m.size(1)) {
      throw new IllegalArgumentException(op + ": needs a square matrix, got shape " + Shape.str(m.shape()));
    }
  }

  /**
   * Eigendecomposition of the symmetric part (A + A^T)/2, so tiny asymmetries from float rounding do
   * not produce complex results.
   */
  public static Eigen symmetricEigen(Tensor a) {
    requireSquare("symmetricEigen", a);
    int n = a.size(0);
    DMatrixRMaj m = toEjml(a);
    DMatrixRMaj t = new DMatrixRMaj(n, n);
    CommonOps_DDRM.transpose(m, t);
    CommonOps_DDRM.add(0.5, m, 0.5, t, m);
    for (int i = 0; i < m.getNumElements(); i++) {
      if (!Double.isFinite(m.data[i])) throw new IllegalArgumentException("symmetricEigen: matrix has a non-finite entry");
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(m)) throw new IllegalStateException("symmetricEigen: EJML failed to converge on a " + n + "x" + n + " matrix");
    Integer[] order = new Integer[n];
    double[] vals = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      vals[i] = eig.getEigenvalue(i).getReal();
    }
    java.util.Arrays.sort(order, (p, q) -> Double.compare(vals[p], vals[q]));
    double[] sorted = new double[n];
    double[] vec = new double[n * n];
    for (int c = 0; c < n; c++) {
      int src = order[c];
      sorted[c] = vals[src];
      DMatrixRMaj v = eig.getEigenVector(src);
      for (int r = 0; r < n; r++) vec[r * n + c] = v.get(r, 0);
    }
    return new Eigen(sorted, Tensor.wrap(vec, n, n));
  }

  /**
   * A^alpha for a symmetric PSD matrix: V diag(max(lambda, 0)^alpha) V^T (negative eigenvalues from
   * rounding are clamped to 0, as DEFINITIONS.md section 2 asks). alpha = 1/2 is the PSD square root.
   */
  public static Tensor psdPower(Tensor a, double alpha) {
    if (alpha == 1) return symmetrize(a.toFloat64());
    Eigen e = symmetricEigen(a);
    int n = e.values().length;
    double[] scaled = e.vectors().toDoubleArray();
    double[] vec = e.vectors().toDoubleArray();
    for (int c = 0; c < n; c++) {
      double l = Math.max(e.values()[c], 0);
      double f = l == 0 ? 0 : Math.pow(l, alpha);
      for (int r = 0; r < n; r++) scaled[r * n + c] *= f;
    }
    DMatrixRMaj vs = new DMatrixRMaj(n, n, true, scaled), v = new DMatrixRMaj(n, n, true, vec), out = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(vs, v, out);
    return fromEjml(out);
  }

  /** @return the PSD square root */
  public static Tensor psdSqrt(Tensor a) {
    return psdPower(a, 0.5);
  }

  /** @return (A + A^T)/2 in float64 */
  public static Tensor symmetrize(Tensor a) {
    requireSquare("symmetrize", a);
    Tensor d = a.toFloat64().detach();
    return d.add(d.t()).mul(0.5).detach();
  }
}
