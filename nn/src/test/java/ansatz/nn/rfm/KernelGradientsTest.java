package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.*;
import org.junit.jupiter.api.Test;

class KernelGradientsTest {
  private static final double H = 1e-6;

  /**
   * Central differences of {@code sum_i alpha_i K(x, x_i)} with distances taken directly as
   * (x - x_i)^T M (x - x_i): near a training point the GEMM expansion's rounding (about eps |x|^2
   * in the squared distance) would swamp a step of 1e-6.
   */
  static double[] directFiniteDifferenceJacobians(KernelPredictor f, Tensor points) {
    int m = points.size(0), d = points.size(1), c = f.outputs(), n = f.alpha().size(0);
    double[] p = points.toDoubleArray(), alpha = f.alpha().toDoubleArray(), out = new double[m * c * d];
    Tensor centers = f.centerPoints().toFloat64();
    for (int j = 0; j < d; j++) {
      double[] plus = p.clone(), minus = p.clone();
      for (int s = 0; s < m; s++) {
        plus[s * d + j] += H;
        minus[s * d + j] -= H;
      }
      double[] kp = Fixtures.naiveKernel(Tensor.wrap(plus, m, d), centers, f.metric(), f.kernel());
      double[] km = Fixtures.naiveKernel(Tensor.wrap(minus, m, d), centers, f.metric(), f.kernel());
      for (int s = 0; s < m; s++) {
        for (int k = 0; k < c; k++) {
          double diff = 0;
          for (int i = 0; i < n; i++) diff += (kp[s * n + i] - km[s * n + i]) * alpha[i * c + k];
          out[(s * c + k) * d + j] = diff / (2 * H);
        }
      }
    }
    return out;
  }

  static void assertClose(double[] expected, double[] actual, double rtol) {
    assertClose(expected, actual, rtol, 0);
  }

  /** Within {@code rtol} of the largest entry plus an absolute {@code noise} floor. */
  static void assertClose(double[] expected, double[] actual, double rtol, double noise) {
    double scale = 0;
    for (double v : expected) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], rtol * scale + noise, "entry " + i);
    }
  }

  /**
   * Rounding noise of a central difference of {@code sum_i alpha_i K(x, x_i)}: each evaluation is
   * exact to a few ulps of {@code sum_i |alpha_i|} (K is at most 1), divided by 2h. An ill-conditioned
   * fit (d = 1, a Gaussian kernel) has large, cancelling alphas, and this term then dominates.
   */
  static double finiteDifferenceNoise(KernelPredictor f) {
    int n = f.alpha().size(0), c = f.outputs();
    double[] alpha = f.alpha().toDoubleArray();
    double worst = 0;
    for (int k = 0; k < c; k++) {
      double sum = 0;
      for (int i = 0; i < n; i++) sum += Math.abs(alpha[i * c + k]);
      worst = Math.max(worst, sum);
    }
    return 64 * Math.ulp(1.0) * worst / (2 * H);
  }

  @Property(tries = 25)
  void analyticJacobianMatchesFiniteDifferences(
      @ForAll("sizes") int n, @ForAll("sizes") int d, @ForAll("outputs") int c,
      @ForAll boolean gaussian, @ForAll boolean diagonal, @ForAll("seeds") long seed) {
    Rng rng = new Rng(seed);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d), y = Tensor.randn(rng, DType.FLOAT64, n, c);
    Tensor m = diagonal ? Fixtures.randomDiagonalMetric(rng, d) : Fixtures.randomMetric(rng, d);
    Kernel k = gaussian ? Kernel.gaussian(1.3) : Kernel.laplace(1.7);
    KernelPredictor f = KernelRidge.fit(x, y, k, m, 1e-2);
    Tensor points = Tensor.randn(rng, DType.FLOAT64, 5, d);
    Fixtures.withSmallBlocks(2 * n, () -> {
      Tensor jac = f.jacobians(points);
      assertArrayEquals(new int[] {5, c, d}, jac.shape());
      // Exact distances: the GEMM expansion's rounding, divided by 2h, depends on the vector width
      // of the machine and once exceeded 1e-6 of the scale on a wider-SIMD CI host.
      assertClose(directFiniteDifferenceJacobians(f, points), jac.toDoubleArray(), 1e-6, finiteDifferenceNoise(f));
    });
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(1, 7, 8, 9, 15, 17);
  }

  @Provide
  Arbitrary<Integer> outputs() {
    return Arbitraries.of(1, 2, 3);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().between(0, 1_000_000);
  }

  @Test
  void atTrainingPointsTheSelfTermIsDroppedLikeASymmetricDifference() {
    // The Laplace kernel's cusp exp(-|t|/L) has zero central difference, so dropping the self term
    // is exactly what central finite differences see at a training point.
    Rng rng = new Rng(8);
    Tensor x = Tensor.randn(rng, DType.FLOAT64, 40, 4), y = Tensor.randn(rng, DType.FLOAT64, 40, 2);
    KernelPredictor f = KernelRidge.fit(x, y, Kernel.laplace(2), Fixtures.randomMetric(rng, 4), 1e-3);
    Tensor points = x.narrow(0, 0, 6).copyData();
    assertClose(directFiniteDifferenceJacobians(f, points), f.jacobians(points).toDoubleArray(), 1e-6);
    // float32 data: the rounding of the GEMM expansion must not leak a huge self term in.
    KernelPredictor f32 = KernelRidge.fit(x.toFloat32(), y, Kernel.laplace(2), f.metric(), 1e-3);
    assertClose(f.jacobians(points).toDoubleArray(), f32.jacobians(points.toFloat32()).toDoubleArray(), 2e-2);
  }

  @Test
  void agopIsTheMeanOuterProductOfTheJacobiansAndCenteringRemovesTheMean() {
    Rng rng = new Rng(9);
    int n = 60, d = 5, c = 2;
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d), y = Tensor.randn(rng, DType.FLOAT64, n, c);
    KernelPredictor f = KernelRidge.fit(x, y, Kernel.laplace(3), Fixtures.randomMetric(rng, d), 1e-3);
    double[] jac = f.jacobians(x).toDoubleArray();
    double[] mean = new double[c * d];
    for (int s = 0; s < n; s++) for (int i = 0; i < c * d; i++) mean[i] += jac[s * c * d + i] / n;
    double[] plain = new double[d * d], centered = new double[d * d];
    for (int s = 0; s < n; s++) {
      for (int k = 0; k < c; k++) {
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            double ja = jac[(s * c + k) * d + a], jb = jac[(s * c + k) * d + b];
            plain[a * d + b] += ja * jb / n;
            centered[a * d + b] += (ja - mean[k * d + a]) * (jb - mean[k * d + b]) / n;
          }
        }
      }
    }
    Fixtures.withSmallBlocks(7 * n, () -> {
      assertClose(plain, f.agop(x, false).toDoubleArray(), 1e-10);
      assertClose(centered, f.agop(x, true).toDoubleArray(), 1e-10);
    });
  }

  @Test
  void diagonalOnlyAgopKeepsExactlyTheDiagonal() {
    Rng rng = new Rng(10);
    int n = 50, d = 4;
    Tensor x = Tensor.randn(rng, DType.FLOAT64, n, d), y = Tensor.randn(rng, DType.FLOAT64, n);
    for (Tensor m : new Tensor[] {Fixtures.randomDiagonalMetric(rng, d), Fixtures.randomMetric(rng, d)}) {
      KernelPredictor f = KernelRidge.fit(x, y, Kernel.laplace(2), m, 1e-3);
      double[] full = f.agop(x, true).toDoubleArray();
      double[] diag = KernelGradients.agop(f, Rows.of(x), true, true);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          if (a == b) assertEquals(full[a * d + a], diag[a * d + a], 1e-12 * Math.abs(full[a * d + a]));
          else assertEquals(0.0, diag[a * d + b]);
        }
      }
    }
  }
}
