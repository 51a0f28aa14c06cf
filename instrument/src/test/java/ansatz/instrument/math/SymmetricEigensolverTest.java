package ansatz.instrument.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/** The tred2/tql2 solver against EJML and against its own defining properties. */
class SymmetricEigensolverTest {
  /** Random symmetric matrices: indefinite, low-rank PSD, with repeated eigenvalues, or diagonal. */
  static Tensor matrix(int kind, int n, long seed) {
    Rng rng = new Rng(seed);
    return switch (kind) {
      case 0 -> {
        Tensor b = Tensor.randn(rng, DType.FLOAT64, n, n);
        yield b.add(b.t()).detach();
      }
      case 1 -> {
        Tensor b = Tensor.randn(rng, DType.FLOAT64, n, Math.max(1, n / 3));
        yield b.matmul(b.t()).detach();
      }
      case 2 -> { // Q diag(1,1,..,2,2,..) Q^T: clusters of equal eigenvalues
        Tensor q = Matrices.symmetricEigen(matrix(0, n, seed + 1)).vectors();
        double[] dv = new double[n];
        for (int i = 0; i < n; i++) dv[i] = i < n / 2 ? 1 : 2;
        Tensor d = Tensor.zeros(DType.FLOAT64, n, n);
        for (int i = 0; i < n; i++) d.set(dv[i], i, i);
        yield q.matmul(d).matmul(q.t()).detach();
      }
      default -> {
        Tensor d = Tensor.zeros(DType.FLOAT64, n, n);
        for (int i = 0; i < n; i++) d.set(rng.nextGaussian() * 1e6, i, i);
        yield d;
      }
    };
  }

  @Property(tries = 40)
  void reconstructsWithOrthonormalVectorsAndMatchesEjml(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 0, max = 3) int kind,
                                                        @ForAll @IntRange(min = 0, max = 9999) int seed) {
    Tensor a = matrix(kind, n, seed);
    Matrices.Eigen e = Matrices.symmetricEigen(a);
    double scale = 0;
    for (double v : a.toDoubleArray()) scale = Math.max(scale, Math.abs(v));
    scale = Math.max(scale, 1e-300);
    Tensor v = e.vectors();
    Tensor lambda = Tensor.zeros(DType.FLOAT64, n, n);
    for (int i = 0; i < n; i++) lambda.set(e.values()[i], i, i);
    double[] back = v.matmul(lambda).matmul(v.t()).toDoubleArray(), want = a.toDoubleArray();
    for (int i = 0; i < want.length; i++) assertEquals(want[i], back[i], 1e-12 * n * scale, "A = V L V^T at " + i);
    double[] vtv = v.t().matmul(v).toDoubleArray();
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(i == j ? 1 : 0, vtv[i * n + j], 1e-12 * n, "V^T V");
    for (int i = 1; i < n; i++) assertTrue(e.values()[i] >= e.values()[i - 1]);
    // EJML's eigenvalues, sorted
    EigenDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.eig(n, false, true);
    assertTrue(ejml.decompose(new DMatrixRMaj(n, n, true, a.toDoubleArray())));
    double[] ref = new double[n];
    for (int i = 0; i < n; i++) ref[i] = ejml.getEigenvalue(i).getReal();
    java.util.Arrays.sort(ref);
    for (int i = 0; i < n; i++) assertEquals(ref[i], e.values()[i], 1e-11 * n * scale, "eigenvalue " + i);
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
