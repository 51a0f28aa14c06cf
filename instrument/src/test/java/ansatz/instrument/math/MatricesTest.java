package ansatz.instrument.math;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MatricesTest {
  private static Tensor randomPsd(Rng rng, int n, int rank) {
    Tensor b = Tensor.randn(rng, DType.FLOAT64, n, rank);
    return b.matmul(b.t());
  }

  @Property(tries = 25)
  void psdSqrtSquaresBack(@ForAll @IntRange(min = 1, max = 17) int n, @ForAll @IntRange(min = 1, max = 17) int rank, @ForAll long seed) {
    Tensor a = randomPsd(new Rng(seed), n, rank);
    Tensor r = Matrices.psdSqrt(a);
    double[] back = r.matmul(r).toDoubleArray(), want = a.toDoubleArray();
    double scale = 0;
    for (double v : want) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < want.length; i++) assertEquals(want[i], back[i], 1e-9 * Math.max(1, scale));
    // the root is symmetric
    double[] rr = r.toDoubleArray(), rt = r.t().toDoubleArray();
    for (int i = 0; i < rr.length; i++) assertEquals(rr[i], rt[i], 1e-10 * Math.max(1, scale));
  }

  @Test
  void negativeEigenvaluesAreClampedToZero() {
    // diag(4, -1) -> sqrt = diag(2, 0)
    Tensor a = Tensor.of(new double[][] {{4, 0}, {0, -1}});
    assertArrayEquals(new double[] {2, 0, 0, 0}, Matrices.psdSqrt(a).toDoubleArray(), 1e-12);
  }

  @Test
  void eigenvaluesAscendWithOrthonormalVectors() {
    Tensor a = randomPsd(new Rng(3), 9, 9);
    Matrices.Eigen e = Matrices.symmetricEigen(a);
    for (int i = 1; i < 9; i++) assertTrue(e.values()[i] >= e.values()[i - 1]);
    double[] vtv = e.vectors().t().matmul(e.vectors()).toDoubleArray();
    for (int i = 0; i < 9; i++) for (int j = 0; j < 9; j++) assertEquals(i == j ? 1 : 0, vtv[i * 9 + j], 1e-10);
  }

  @Test
  void nonSquareIsRejectedWithShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Matrices.psdSqrt(Tensor.zeros(DType.FLOAT64, 2, 3)));
    assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
  }
}
