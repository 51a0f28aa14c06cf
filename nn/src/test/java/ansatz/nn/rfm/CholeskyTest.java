package ansatz.nn.rfm;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Rng;
import net.jqwik.api.*;
import org.junit.jupiter.api.Test;

class CholeskyTest {

  /** A random SPD matrix B B^T / n + I, full (both triangles). */
  static double[] spd(Rng rng, int n) {
    double[] b = new double[n * n];
    for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
        a[i * n + j] = s / n + (i == j ? 1 : 0);
      }
    }
    return a;
  }

  @Property(tries = 20)
  void factorTimesItsTransposeIsTheMatrixAndSolveSolves(
      @ForAll("sizes") int n, @ForAll("outputs") int c, @ForAll("seeds") long seed) {
    Rng rng = new Rng(seed);
    double[] a = spd(rng, n);
    double[] l = a.clone();
    // The upper triangle must not be read: poison it.
    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) l[i * n + j] = Double.NaN;
    Cholesky.factor(l, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
        assertEquals(a[i * n + j], s, 1e-10 * n, "(L L^T)[" + i + "][" + j + "]");
      }
    }
    double[] b = new double[n * c];
    for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
    double[] x = b.clone();
    Cholesky.solve(l, n, x, c);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        double s = 0;
        for (int j = 0; j < n; j++) s += a[i * n + j] * x[j * c + k];
        assertEquals(b[i * c + k], s, 1e-9, "residual at row " + i + ", column " + k);
      }
    }
  }

  @Provide
  Arbitrary<Integer> sizes() {
    // 128 is the block size: cover one, two and three blocks and their edges.
    return Arbitraries.of(1, 7, 8, 9, 15, 17, 127, 128, 129, 300);
  }

  @Provide
  Arbitrary<Integer> outputs() {
    return Arbitraries.of(1, 3);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs().between(0, 1_000_000);
  }

  @Test
  void indefiniteMatrixIsReportedWithItsPivot() {
    double[] a = {1, 2, 2, 1}; // eigenvalues 3 and -1
    Cholesky.NotPositiveDefiniteException e = assertThrows(Cholesky.NotPositiveDefiniteException.class, () -> Cholesky.factor(a, 2));
    assertEquals(1, e.pivot);
  }
}
