package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.*;
import org.junit.jupiter.api.Test;

class PsdPowerTest {

  @Property(tries = 20)
  void squareRootSquaredIsTheMatrix(@ForAll("sizes") int d, @ForAll("seeds") long seed) {
    Tensor a = Fixtures.randomMetric(new Rng(seed), d);
    double[] before = a.toDoubleArray();
    Tensor s = PsdPower.sqrt(a);
    assertArrayEquals(before, a.toDoubleArray(), "input must not change");
    double scale = 0;
    for (double v : before) scale = Math.max(scale, Math.abs(v));
    assertTrue(Fixtures.maxAbsDiff(before, s.matmul(s).toDoubleArray()) < 1e-10 * Math.max(scale, 1));
    assertTrue(Fixtures.maxAbsDiff(s.toDoubleArray(), s.t().copyData().toDoubleArray()) == 0, "result is exactly symmetric");
    assertTrue(Fixtures.maxAbsDiff(before, PsdPower.power(a, 1).toDoubleArray()) < 1e-10 * Math.max(scale, 1));
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(1, 7, 8, 9, 15, 17);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().between(0, 1_000_000);
  }

  @Test
  void negativeEigenvaluesAreClampedToZero() {
    // Eigenvalues 3 (vector (1,1)/sqrt2) and -1 (vector (1,-1)/sqrt2): the root keeps only the first.
    Tensor s = PsdPower.sqrt(Tensor.of(new double[][] {{1, 2}, {2, 1}}));
    double h = Math.sqrt(3) / 2;
    assertArrayEquals(new double[] {h, h, h, h}, s.toDoubleArray(), 1e-12);
  }

  @Test
  void rejectsNonSymmetricAndNegativePowers() {
    assertThrows(IllegalArgumentException.class, () -> PsdPower.sqrt(Tensor.of(new double[][] {{1, 2}, {0, 1}})));
    assertThrows(IllegalArgumentException.class, () -> PsdPower.power(Tensor.eye(2, DType.FLOAT64), -1));
    assertThrows(IllegalArgumentException.class, () -> PsdPower.sqrt(Tensor.ones(DType.FLOAT64, 2, 3)));
  }
}
