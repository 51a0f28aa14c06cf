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

  /**
   * psdPower in FLOAT32 (the probes' route for float32 models) against FLOAT64: the same root to
   * float rounding of its largest entry, for full and rank-deficient matrices with a wide spectrum,
   * and for both powers the probes take.
   */
  @Property(tries = 30)
  void float32PowerMatchesFloat64(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll @IntRange(min = 1, max = 70) int rank,
                                  @ForAll @IntRange(min = 0, max = 8) int decades, @ForAll boolean square, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, n, rank);
    // Columns scaled over `decades` orders of magnitude: eigenvalues spread like an AGOP's.
    double[] scales = new double[rank];
    for (int j = 0; j < rank; j++) scales[j] = Math.pow(10, -decades * (double) j / Math.max(1, rank - 1));
    Tensor a = b.mul(Tensor.of(scales, 1, rank)).matmul(b.mul(Tensor.of(scales, 1, rank)).t());
    double alpha = square ? 0.5 : 0.25;
    double[] want = Matrices.psdPower(a, alpha, DType.FLOAT64).toDoubleArray();
    double[] got = Matrices.psdPower(a, alpha, DType.FLOAT32).toDoubleArray();
    double max = 0;
    for (double v : want) max = Math.max(max, Math.abs(v));
    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 2e-6 * max, "entry " + i);
    for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) assertEquals(got[i * n + j], got[j * n + i], "the float32 root is exactly symmetric");
  }

  @Test
  void powerPrecisionMustBeAFloat() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Matrices.psdPower(Tensor.eye(2, DType.FLOAT64), 0.5, null));
    assertTrue(e.getMessage().contains("precision must be FLOAT32 or FLOAT64"), e.getMessage());
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
