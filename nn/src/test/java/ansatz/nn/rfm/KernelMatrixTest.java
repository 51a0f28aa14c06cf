package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.*;
import org.junit.jupiter.api.Test;

class KernelMatrixTest {

  @Property(tries = 30)
  void matchesTheDefinitionPairByPair(
      @ForAll("sizes") int n, @ForAll("sizes") int p, @ForAll("sizes") int d,
      @ForAll boolean gaussian, @ForAll boolean diagonal, @ForAll("seeds") long seed) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d), z = Tensor.randn(rng, DType.FLOAT64, p, d);
    Tensor m = diagonal ? Fixtures.randomDiagonalMetric(rng, d) : Fixtures.randomMetric(rng, d);
    Kernel k = gaussian ? Kernel.gaussian(1.5) : Kernel.laplace(2.5);
    double[] expected = Fixtures.naiveKernel(x, z, m, k);
    // Small blocks: several row blocks even for these sizes.
    Fixtures.withSmallBlocks(3 * p, () -> {
      Tensor got = KernelMatrix.of(x, z, m, k);
      assertArrayEquals(new int[] {n, p}, got.shape());
      assertEquals(DType.FLOAT64, got.dtype());
      assertTrue(Fixtures.maxAbsDiff(expected, got.toDoubleArray()) < 1e-12, "float64 kernel differs from the definition");
      Tensor got32 = KernelMatrix.of(x.toFloat32(), z.toFloat32(), m, k);
      assertEquals(DType.FLOAT32, got32.dtype());
      assertTrue(Fixtures.maxAbsDiff(expected, got32.toDoubleArray()) < 2e-3, "float32 kernel far from the definition");
    });
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
  void identityMetricIsTheEuclideanKernelAndSelfDistanceIsZero() {
    Tensor x = Tensor.of(new double[][] {{0, 0}, {3, 4}});
    Tensor k = KernelMatrix.of(x, x, null, Kernel.laplace(5));
    assertEquals(1.0, k.get(0, 0), 1e-15);
    assertEquals(Math.exp(-1), k.get(0, 1), 1e-15); // distance 5, L = 5
    assertEquals(Math.exp(-25.0 / (2 * 25)), KernelMatrix.of(x, x, null, Kernel.gaussian(5)).get(1, 0), 1e-15);
  }

  @Test
  void metricScalesDistances() {
    // M = 4 I doubles every distance.
    Tensor x = Tensor.of(new double[][] {{1, 0}}), z = Tensor.of(new double[][] {{0, 0}});
    Tensor m = Tensor.eye(2, DType.FLOAT64).mul(4);
    assertEquals(Math.exp(-2.0 / 3), KernelMatrix.of(x, z, m, Kernel.laplace(3)).item(), 1e-15);
  }

  @Test
  void roundingBelowZeroIsClampedNotNaN() {
    // Large identical rows: the GEMM expansion cancels to about +-eps*|x|^2, never NaN.
    Tensor x = Tensor.full(1e4, DType.FLOAT32, 3, 50);
    Tensor k = KernelMatrix.of(x, x, null, Kernel.laplace(1));
    for (double v : k.toDoubleArray()) {
      assertFalse(Double.isNaN(v));
      assertTrue(v <= 1.0);
    }
  }

  @Test
  void identicalPointsAreAtDistanceExactlyZero() {
    // Without special care the GEMM expansion leaves ~eps |x|^2 and the Laplace square root turns
    // it into K(x, x) = 1 - 1e-8 (float64) or 1 - 1e-3 (float32).
    Rng rng = new Rng(5);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 40, 30).mul(10);
    Tensor m = Fixtures.randomMetric(rng, 30);
    for (Tensor data : new Tensor[] {x, x.toFloat32()}) {
      Tensor k = KernelMatrix.of(data, data, m, Kernel.laplace(1));
      Tensor kz = KernelMatrix.of(data, data.narrow(0, 5, 3).copyData(), m, Kernel.laplace(1));
      for (int i = 0; i < 40; i++) assertEquals(1.0, k.get(i, i), 0.0, data.dtype() + " K(x_i, x_i)");
      for (int j = 0; j < 3; j++) assertEquals(1.0, kz.get(5 + j, j), 0.0, "same point given twice");
    }
  }
}
