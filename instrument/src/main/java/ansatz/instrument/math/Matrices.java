package ansatz.instrument.math;

import ansatz.autograd.DType;
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
    int n = a.dim() == 2 ? a.size(0) : 0;
    double[] m = symmetricCopy("symmetricEigen", a);
    double[] values = new double[n];
    double[] vec = SymmetricEigensolver.decompose(m, n, values);
    return new Eigen(values, Tensor.wrap(vec, n, n));
  }

  /** (A + A^T)/2 as a fresh row-major array, after checking that A is square and finite. */
  private static double[] symmetricCopy(String op, Tensor a) {
    requireSquare(op, a);
    int n = a.size(0);
    double[] m = a.toDoubleArray();
    Products.symmetrizeInPlace(m, n);
    for (double v : m) {
      if (!Double.isFinite(v)) throw new IllegalArgumentException(op + ": matrix has a non-finite entry");
    }
    return m;
  }

  /**
   * A^alpha for a symmetric PSD matrix: V diag(max(lambda, 0)^alpha) V^T (negative eigenvalues from
   * rounding are clamped to 0, as DEFINITIONS.md section 2 asks). alpha = 1/2 is the PSD square root.
   */
  public static Tensor psdPower(Tensor a, double alpha) {
    return psdPower(a, alpha, DType.FLOAT64);
  }

  /**
   * {@link #psdPower(Tensor, double)} with the eigenvectors' back-transformation and the product
   * V F V^T in {@code precision}. FLOAT64 is exact to double rounding. FLOAT32 is for the AGOPs of
   * float32 models, which carry float rounding already: the decomposition proper stays float64,
   * its GEMM half runs at the float32 rate, and the entries come out good to about 1e-6 of the
   * largest. Measured on one core with the trained Fashion-MNIST MLP's AGOPs, together with the
   * copies of V this version no longer makes: n = 1024 in 0.24-0.25 s instead of 0.36-0.43 s, n =
   * 784 in 0.11-0.12 s instead of 0.16-0.20 s. The result is float64 either way.
   *
   * @throws IllegalArgumentException if A is not square or not finite, or the precision is neither
   *     FLOAT32 nor FLOAT64
   */
  public static Tensor psdPower(Tensor a, double alpha, DType precision) {
    if (precision != DType.FLOAT32 && precision != DType.FLOAT64) {
      throw new IllegalArgumentException("psdPower: precision must be FLOAT32 or FLOAT64, got " + precision);
    }
    if (alpha == 1) return symmetrize(a.toFloat64());
    double[] m = symmetricCopy("psdPower", a);
    int n = a.size(0);
    double[] values = new double[n];
    boolean single = precision == DType.FLOAT32;
    Object vec = single ? SymmetricEigensolver.decomposeFloatVectors(m, n, values) : SymmetricEigensolver.decompose(m, n, values);
    // V F V^T = (V F^{1/2}) (V F^{1/2})^T with F = diag(max(lambda, 0)^alpha): scale V's columns in
    // place (row by row, contiguous) and take one symmetric product of V with itself.
    double[] half = new double[n];
    for (int c = 0; c < n; c++) {
      double l = Math.max(values[c], 0);
      half[c] = l == 0 ? 0 : Math.pow(l, alpha / 2);
    }
    scaleColumns(vec, n, half);
    // On the project's GEMM (EJML's product is several times slower at n = 1000).
    Object out = Products.alloc(single, n * n);
    Products.symmetricProduct(false, true, n, n, 1.0, vec, n, vec, n, out, Products.SYMMETRIC_BLOCK);
    return Tensor.wrap(Products.toDoubles(out), n, n);
  }

  /** v[:, c] *= f[c] for the n x n row-major v (float[] or double[]); a method of its own, quick to compile. */
  private static void scaleColumns(Object vec, int n, double[] f) {
    if (vec instanceof float[] v) {
      for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) v[r * n + c] *= (float) f[c];
    } else {
      double[] v = (double[]) vec;
      for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) v[r * n + c] *= f[c];
    }
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
