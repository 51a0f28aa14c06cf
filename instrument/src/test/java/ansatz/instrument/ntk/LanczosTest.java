package ansatz.instrument.ntk;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import ansatz.instrument.math.Matrices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LanczosTest {
  private static Tensor randomPsd(Rng rng, int n, int rank) {
    Tensor b = Tensor.randn(rng, DType.FLOAT64, n, rank);
    return b.matmul(b.t());
  }

  @Property(tries = 40)
  void topEigenpairsMatchDenseDecomposition(
      @ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll @IntRange(min = 1, max = 40) int rank,
      @ForAll @IntRange(min = 1, max = 5) int kWanted,
      @ForAll long seed) {
    int k = Math.min(kWanted, n);
    Tensor a = randomPsd(new Rng(seed), n, rank);
    Matrices.Eigen dense = Matrices.symmetricEigen(a);
    double[] d = dense.values();
    double top = Math.max(d[n - 1], 1e-300);
    TopEigen got = Lanczos.top(a, k);
    assertEquals(k, got.k());
    for (int j = 0; j < k; j++) assertEquals(d[n - 1 - j], got.values()[j], 1e-9 * top, "eigenvalue " + j);
    for (int j = 1; j < k; j++) assertTrue(got.values()[j] <= got.values()[j - 1]);
    assertTrue(got.maxResidual() <= 1e-7 * top, "residual " + got.maxResidual());
    // vectors: unit, orthogonal; and the top one is parallel to the dense one when the gap allows
    double[] v = got.vectors().toDoubleArray();
    for (int p = 0; p < k; p++) {
      for (int q = 0; q < k; q++) {
        double s = 0;
        for (int i = 0; i < n; i++) s += v[i * k + p] * v[i * k + q];
        assertEquals(p == q ? 1 : 0, s, 1e-9);
      }
    }
    if (n > 1 && d[n - 1] - d[n - 2] > 1e-3 * top) {
      double[] dv = dense.vectors().toDoubleArray();
      double s = 0;
      for (int i = 0; i < n; i++) s += dv[i * n + n - 1] * v[i * k];
      assertEquals(1, Math.abs(s), 1e-8);
    }
  }

  @Test
  void repeatedEigenvaluesAreFoundByRestarting() {
    TopEigen id = Lanczos.top(Tensor.eye(6, DType.FLOAT64), 3);
    assertArrayEquals(new double[] {1, 1, 1}, id.values(), 1e-12);
    TopEigen twoTwoOne = Lanczos.top(Tensor.of(new double[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 1}}), 2);
    assertArrayEquals(new double[] {2, 2}, twoTwoOne.values(), 1e-12);
  }

  @Test
  void zeroMatrixAndIndefiniteMatrix() {
    assertArrayEquals(new double[] {0, 0}, Lanczos.top(Tensor.zeros(DType.FLOAT64, 4, 4), 2).values(), 0);
    // largest (algebraic) first, not largest in magnitude
    Tensor a = Tensor.of(new double[][] {{-5, 0, 0}, {0, 1, 0}, {0, 0, 3}});
    assertArrayEquals(new double[] {3, 1}, Lanczos.top(a, 2).values(), 1e-12);
  }

  @Test
  void deterministicForTheSameSeedAndLargerMatrix() {
    Tensor a = randomPsd(new Rng(4), 160, 160);
    TopEigen x = Lanczos.top(a, 3), y = Lanczos.top(a, 3);
    assertArrayEquals(x.values(), y.values(), 0);
    assertArrayEquals(x.vectors().toDoubleArray(), y.vectors().toDoubleArray(), 0);
    double[] d = Matrices.symmetricEigen(a).values();
    for (int j = 0; j < 3; j++) assertEquals(d[159 - j], x.values()[j], 1e-9 * d[159]);
    assertTrue(x.iterations() < 160, "should converge before filling the space, took " + x.iterations());
  }

  @Test
  void badArgumentsAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Lanczos.top(Tensor.zeros(DType.FLOAT64, 2, 3), 1)).getMessage().contains("[2, 3]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Lanczos.top(Tensor.eye(3, DType.FLOAT64), 4)).getMessage().contains("k = 4"));
    Tensor nan = Tensor.of(new double[][] {{Double.NaN}});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Lanczos.top(nan, 1)).getMessage().contains("non-finite"));
  }
}
