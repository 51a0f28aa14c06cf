package ansatz.instrument.math;

import ansatz.autograd.Shape;
import ansatz.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;

/**
 * Dense float64 linear algebra for the probes: symmetric eigendecomposition and PSD matrix powers
 * (the AGOP^{1/2} of the ansatz). The decomposition is {@link SymmetricEigensolver} (checked
 * against EJML in the tests); results come back as Tensors.
 */
public final class Matrices {
  private Matrices() {}

  /** Eigenvalues (ascending) and the matching eigenvectors as columns. */
  public record Eigen(double[] values, Tensor vectors) {}

  /** {@return a float64 EJML copy of a square matrix} */
  public static DMatrixRMaj toEjml(Tensor m) {
    requireSquare("toEjml", m);
    int n = m.size(0);
    return new DMatrixRMaj(n, n, true, m.toDoubleArray());
  }

  /** {@return an n x n float64 tensor holding the EJML matrix} */
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
    double[] m = a.toDoubleArray();
    Products.symmetrizeInPlace(m, n);
    for (double v : m) {
      if (!Double.isFinite(v)) throw new IllegalArgumentException("symmetricEigen: matrix has a non-finite entry");
    }
    double[] values = new double[n];
    double[] vec = SymmetricEigensolver.decompose(m, n, values);
    return new Eigen(values, Tensor.wrap(vec, n, n));
  }

  /**
   * A^alpha for a symmetric PSD matrix: V diag(max(lambda, 0)^alpha) V^T (negative eigenvalues from
   * rounding are clamped to 0, as DEFINITIONS.md section 2 asks). alpha = 1/2 is the PSD square root.
   */
  public static Tensor psdPower(Tensor a, double alpha) {
    if (alpha == 1) return symmetrize(a.toFloat64());
    Eigen e = symmetricEigen(a);
    int n = e.values().length;
    double[] vec = e.vectors().toDoubleArray();
    double[] scaled = vec.clone();
    for (int c = 0; c < n; c++) {
      double l = Math.max(e.values()[c], 0);
      double f = l == 0 ? 0 : Math.pow(l, alpha);
      for (int r = 0; r < n; r++) scaled[r * n + c] *= f;
    }
    // V diag(f) V^T on the project's GEMM (EJML's product is several times slower at n = 1000).
    double[] out = new double[n * n];
    Products.symmetricProduct(false, true, n, n, 1.0, scaled, n, vec, n, out);
    return Tensor.wrap(out, n, n);
  }

  /** {@return the PSD square root} */
  public static Tensor psdSqrt(Tensor a) {
    return psdPower(a, 0.5);
  }

  /** {@return (A + A^T)/2 in float64} */
  public static Tensor symmetrize(Tensor a) {
    requireSquare("symmetrize", a);
    Tensor d = a.toFloat64().detach();
    return d.add(d.t()).mul(0.5).detach();
  }
}
