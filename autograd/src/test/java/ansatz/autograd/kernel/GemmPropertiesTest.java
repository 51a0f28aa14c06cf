package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Gemm against its scalar twin and against a float64 accumulation, over random shapes (tile
 * edges 7/8/9, 15/16/17, 31/33, 65 and sizes up to 300), all four transpose combinations,
 * random alpha and beta (including beta 0 over a NaN-filled C, and beta 1), nonzero offsets and
 * padded leading dimensions.
 *
 * <p>Tolerances. With u the unit roundoff (2^-24 for float, 2^-53 for double) and
 * {@code S = |alpha| * sum_p |A[i][p] B[p][j]| + |beta C[i][j]|}, any summation order of the k
 * products plus the alpha/beta roundings is within {@code (k + 4) u S} of the exact value
 * (the standard gamma_k bound). So:
 * <ul>
 *   <li>sgemm vs float64 reference: {@code |C - ref| <= (k + 4) u S};
 *   <li>sgemm vs GemmScalar and dgemm vs GemmScalar (two different orders):
 *       {@code |C - C'| <= 2 (k + 4) u S}.
 * </ul>
 * An indexing, packing or edge-tile bug gives errors of order S itself, far above these.
 */
class GemmPropertiesTest {

  private static final double U_FLOAT = 0x1p-24;
  private static final double U_DOUBLE = 0x1p-53;

  @Provide
  Arbitrary<Integer> dim() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of(1, 7, 8, 9, 15, 16, 17, 31, 33, 65)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 100)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(100, 300)));
  }

  @Property(tries = 150)
  void sgemmMatchesScalarTwin(@ForAll boolean transA, @ForAll boolean transB,
      @ForAll @From("dim") int m, @ForAll @From("dim") int n, @ForAll @From("dim") int k,
      @ForAll long seed) {
    GemmCase g = GemmCase.random(transA, transB, m, n, k, seed);
    float[] a = g.aF(), b = g.bF(), c = g.cF(), cRef = g.cF();
    g.sgemm(a, b, c);
    g.sgemmScalar(a, b, cRef);
    assertNull(g.untouchedOutsideC(c), g::toString);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int x = g.cOff() + i * g.ldc() + j;
        double tol = 2 * (k + 4) * U_FLOAT * g.magnitude(i, j) + Float.MIN_NORMAL;
        check(g, i, j, c[x], cRef[x], tol);
      }
    }
  }

  @Property(tries = 100)
  void sgemmMatchesFloat64Accumulation(@ForAll boolean transA, @ForAll boolean transB,
      @ForAll @From("dim") int m, @ForAll @From("dim") int n, @ForAll @From("dim") int k,
      @ForAll long seed) {
    GemmCase g = GemmCase.random(transA, transB, m, n, k, seed);
    float[] a = g.aF(), b = g.bF(), c = g.cF(), c0 = g.cF();
    g.sgemm(a, b, c);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double ref = g.float64Reference(a, b, c0, i, j);
        double tol = (k + 4) * U_FLOAT * g.magnitude(i, j) + Float.MIN_NORMAL;
        check(g, i, j, c[g.cOff() + i * g.ldc() + j], ref, tol);
      }
    }
  }

  @Property(tries = 100)
  void dgemmMatchesScalarTwin(@ForAll boolean transA, @ForAll boolean transB,
      @ForAll @From("dim") int m, @ForAll @From("dim") int n, @ForAll @From("dim") int k,
      @ForAll long seed) {
    GemmCase g = GemmCase.random(transA, transB, m, n, k, seed);
    double[] c = g.c().clone(), cRef = g.c().clone();
    g.dgemm(c);
    g.dgemmScalar(cRef);
    assertNull(g.untouchedOutsideC(c), g::toString);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int x = g.cOff() + i * g.ldc() + j;
        double tol = 2 * (k + 4) * U_DOUBLE * g.magnitude(i, j) + Double.MIN_NORMAL;
        check(g, i, j, c[x], cRef[x], tol);
      }
    }
  }

  /** The blocked kernels must ignore NaN in C when beta is 0 and keep C's other entries. */
  @Property(tries = 20)
  void betaZeroIgnoresNaN(@ForAll boolean transA, @ForAll boolean transB,
      @ForAll @From("dim") int m, @ForAll @From("dim") int n, @ForAll @From("dim") int k) {
    GemmCase g = GemmCase.random(transA, transB, m, n, k, 7);
    float[] c = g.cF();
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(c, g.cOff() + i * g.ldc(), g.cOff() + i * g.ldc() + n, Float.NaN);
    }
    Gemm.sgemm(transA, transB, m, n, k, 1f, g.aF(), g.aOff(), g.lda(), g.bF(), g.bOff(), g.ldb(),
        0f, c, g.cOff(), g.ldc());
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float v = c[g.cOff() + i * g.ldc() + j];
        if (Float.isNaN(v)) {
          fail("NaN at (" + i + "," + j + ") in " + g);
        }
      }
    }
    assertEquals(null, g.untouchedOutsideC(c));
  }

  private static void check(GemmCase g, int i, int j, double got, double want, double tol) {
    if (!(Math.abs(got - want) <= tol)) { // negated so NaN fails too
      fail("C[" + i + "][" + j + "] = " + got + ", expected " + want + " +- " + tol + " in " + g);
    }
  }
}
