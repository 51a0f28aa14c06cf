package ansatz.instrument.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The eigensolver (blocked Householder reduction, divide and conquer, blocked back-transformation)
 * against EJML and against its defining properties: A = V L V^T, V^T V = I, ascending values.
 * Small block and leaf sizes make small matrices go through every path (several panels, several
 * levels of merges, deflation of both kinds, the QL fallback).
 */
class SymmetricEigensolverTest {
  static final int KINDS = 9;

  /**
   * Random symmetric n x n test matrices (row-major): 0 indefinite Gaussian, 1 low-rank PSD,
   * 2 two eigenvalues each repeated n/2 times, 3 diagonal, 4 graded PSD (AGOP-like, eigenvalues
   * from 1 down to 1e-12), 5 a multiple of I, 6 a tight cluster (1 + 1e-10 i) beside spread
   * values, 7 Wilkinson's W+ tridiagonal (pairs equal to many digits), 8 zero.
   */
  static double[] matrix(int kind, int n, long seed) {
    Rng rng = new Rng(seed);
    double[] a = new double[n * n];
    switch (kind) {
      case 0 -> {
        for (int i = 0; i < n; i++) {
          for (int j = 0; j <= i; j++) {
            double v = rng.nextGaussian();
            a[i * n + j] = v;
            a[j * n + i] = v;
          }
        }
      }
      case 1 -> {
        int r = Math.max(1, n / 3);
        double[] b = gaussian(rng, n * r);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < r; p++) s += b[i * r + p] * b[j * r + p];
            a[i * n + j] = s;
          }
        }
      }
      case 2 -> a = withSpectrum(rng, n, i -> i < n / 2 ? 1.0 : 2.0);
      case 3 -> {
        for (int i = 0; i < n; i++) a[i * n + i] = rng.nextGaussian() * 1e6;
      }
      case 4 -> a = withSpectrum(rng, n, i -> Math.pow(10, -12.0 * i / Math.max(1, n - 1)));
      case 5 -> {
        for (int i = 0; i < n; i++) a[i * n + i] = 3.5;
      }
      case 6 -> a = withSpectrum(rng, n, i -> i < n / 2 ? 1 + 1e-10 * i : -1 - i);
      case 7 -> {
        for (int i = 0; i < n; i++) {
          a[i * n + i] = Math.abs(i - (n - 1) / 2.0);
          if (i + 1 < n) {
            a[i * n + i + 1] = 1;
            a[(i + 1) * n + i] = 1;
          }
        }
      }
      default -> {
        // zero
      }
    }
    return a;
  }

  private static double[] gaussian(Rng rng, int count) {
    double[] x = new double[count];
    for (int i = 0; i < count; i++) x[i] = rng.nextGaussian();
    return x;
  }

  /** @return Q diag(values) Q^T with Q a random orthogonal matrix (EJML's QR of a Gaussian) */
  private static double[] withSpectrum(Rng rng, int n, java.util.function.IntToDoubleFunction values) {
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
    if (!qr.decompose(new DMatrixRMaj(n, n, true, gaussian(rng, n * n)))) throw new AssertionError("QR failed");
    double[] q = qr.getQ(null, false).getData();
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < n; p++) s += q[i * n + p] * values.applyAsDouble(p) * q[j * n + p];
        a[i * n + j] = s;
      }
    }
    for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
    return a;
  }

  /** Checks one decomposition: reconstruction, orthogonality, order, and EJML's eigenvalues. */
  static void check(double[] a, int n, double[] values, double[] v, String what) {
    double scale = 0;
    for (double x : a) scale = Math.max(scale, Math.abs(x));
    double tol = 1e-14 * (n + 10);
    for (int i = 1; i < n; i++) assertTrue(values[i] >= values[i - 1], what + ": values ascend at " + i);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double back = 0, dot = 0;
        for (int p = 0; p < n; p++) {
          back += v[i * n + p] * values[p] * v[j * n + p];
          dot += v[p * n + i] * v[p * n + j];
        }
        assertEquals(a[i * n + j], back, tol * scale, what + ": A = V L V^T at (" + i + ", " + j + ")");
        assertEquals(i == j ? 1 : 0, dot, tol, what + ": V^T V = I at (" + i + ", " + j + ")");
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.eig(n, false, true);
    assertTrue(ejml.decompose(new DMatrixRMaj(n, n, true, a.clone())));
    double[] ref = new double[n];
    for (int i = 0; i < n; i++) ref[i] = ejml.getEigenvalue(i).getReal();
    Arrays.sort(ref);
    for (int i = 0; i < n; i++) assertEquals(ref[i], values[i], tol * scale, what + ": eigenvalue " + i + " vs EJML");
  }

  @Property(tries = 60)
  void smallBlocksTakeEveryPath(@ForAll("sizes") int n, @ForAll @IntRange(min = 0, max = KINDS - 1) int kind,
                                @ForAll @IntRange(min = 1, max = 9) int block, @ForAll @IntRange(min = 2, max = 6) int leaf,
                                @ForAll @IntRange(min = 0, max = 9999) int seed) {
    double[] a = matrix(kind, n, seed);
    double[] values = new double[n];
    double[] v = SymmetricEigensolver.decompose(a, n, values, block, leaf, false);
    check(a, n, values, v, "kind " + kind + ", n " + n + ", block " + block + ", leaf " + leaf);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> sizes() {
    return net.jqwik.api.Arbitraries.oneOf(net.jqwik.api.Arbitraries.of(1, 2, 7, 8, 9, 15, 16, 17, 33),
        net.jqwik.api.Arbitraries.integers().between(1, 48));
  }

  /**
   * The float32 back-transformation: the same eigenvalues bit for bit (the reduction and the
   * tridiagonal problem are float64 either way), and vectors that match the float64 ones to float
   * rounding (compared through V L V^T, which does not depend on the signs or the basis of
   * repeated eigenvalues).
   */
  @Property(tries = 40)
  void floatVectorsMatchTheDoubleOnes(@ForAll("sizes") int n, @ForAll @IntRange(min = 0, max = KINDS - 1) int kind,
                                      @ForAll @IntRange(min = 1, max = 9) int block, @ForAll @IntRange(min = 0, max = 9999) int seed) {
    double[] a = matrix(kind, n, seed);
    double[] values = new double[n], valuesF = new double[n];
    double[] v = (double[]) SymmetricEigensolver.decompose(a, n, values, block, 4, false, false);
    float[] vf = (float[]) SymmetricEigensolver.decompose(a, n, valuesF, block, 4, false, true);
    assertTrue(Arrays.equals(values, valuesF), "float vectors changed the eigenvalues");
    double scale = 0;
    for (double x : a) scale = Math.max(scale, Math.abs(x));
    for (int i = 0; i < n; i++) {
      double dot = 0;
      for (int p = 0; p < n; p++) dot += (double) vf[p * n + i] * vf[p * n + i];
      assertEquals(1, dot, 1e-5, "column " + i + " of the float vectors is not unit");
      for (int j = 0; j < n; j++) {
        double back = 0, backF = 0;
        for (int p = 0; p < n; p++) {
          back += v[i * n + p] * values[p] * v[j * n + p];
          backF += (double) vf[i * n + p] * values[p] * vf[j * n + p];
        }
        assertEquals(back, backF, 1e-5 * Math.max(scale, 1e-300), "V L V^T, float vs double vectors, at (" + i + ", " + j + ")");
      }
    }
  }

  @Property(tries = 12)
  void qlFallbackAgrees(@ForAll("sizes") int n, @ForAll @IntRange(min = 0, max = KINDS - 1) int kind, @ForAll @IntRange(min = 0, max = 9999) int seed) {
    double[] a = matrix(kind, n, seed);
    double[] values = new double[n];
    double[] v = SymmetricEigensolver.decompose(a, n, values, 4, 4, true);
    check(a, n, values, v, "QL, kind " + kind + ", n " + n);
  }

  /** The reduction reads and updates the lower triangle only: NaN above the diagonal changes no bit. */
  @Property(tries = 12)
  void readsOnlyTheLowerTriangle(@ForAll("sizes") int n, @ForAll @IntRange(min = 0, max = KINDS - 1) int kind,
                                 @ForAll @IntRange(min = 1, max = 9) int block, @ForAll @IntRange(min = 0, max = 9999) int seed) {
    double[] a = matrix(kind, n, seed), upperNaN = a.clone();
    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) upperNaN[i * n + j] = Double.NaN;
    double[] values = new double[n], values2 = new double[n];
    double[] v = SymmetricEigensolver.decompose(a, n, values, block, 4, false);
    double[] v2 = SymmetricEigensolver.decompose(upperNaN, n, values2, block, 4, false);
    assertTrue(Arrays.equals(values, values2), "eigenvalues differ with NaN above the diagonal");
    assertTrue(Arrays.equals(v, v2), "eigenvectors differ with NaN above the diagonal");
  }

  @Test
  void defaultBlocksAtASizeWithSeveralMergesAndPanels() {
    int n = 150;
    for (int kind : new int[] {0, 2, 4, 6}) {
      double[] a = matrix(kind, n, 7 + kind);
      double[] values = new double[n];
      double[] v = SymmetricEigensolver.decompose(a, n, values);
      check(a, n, values, v, "default blocks, kind " + kind);
    }
  }

  @Test
  void inputIsNotModified() {
    double[] a = matrix(0, 20, 3), copy = a.clone();
    SymmetricEigensolver.decompose(a, 20, new double[20], 3, 3, false);
    assertTrue(Arrays.equals(a, copy));
  }

  @Test
  void zeroAndOneByOneMatrices() {
    Matrices.Eigen z = Matrices.symmetricEigen(Tensor.zeros(DType.FLOAT64, 3, 3));
    for (double v : z.values()) assertEquals(0, v);
    Matrices.Eigen one = Matrices.symmetricEigen(Tensor.of(new double[][] {{-2.5}}));
    assertEquals(-2.5, one.values()[0]);
    assertEquals(1, Math.abs(one.vectors().get(0, 0)));
  }
}
