package ansatz.instrument.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import ansatz.autograd.Rng;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Divide and conquer on its own (the eigensolver would hide a failed merge behind its QL fallback):
 * it must succeed and give T = Z L Z^T, Z^T Z = I and EJML's eigenvalues on tridiagonals with
 * degenerate spectra.
 */
class TridiagonalEigenTest {
  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.oneOf(Arbitraries.of(1, 2, 7, 8, 9, 17, 33), Arbitraries.integers().between(1, 64));
  }

  /**
   * 0 random, 1 zero off-diagonal (already diagonal), 2 constant diagonal and off-diagonal (a graded
   * spectrum with clusters), 3 Wilkinson W+ (near-equal pairs), 4 repeated diagonal values with tiny
   * couplings, 5 some couplings exactly 0 (splits into blocks), 6 graded by 1e-12
   */
  static double[][] tridiagonal(int kind, int n, long seed) {
    Rng rng = new Rng(seed);
    double[] d = new double[n], e = new double[n];
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case 0 -> {
          d[i] = rng.nextGaussian();
          e[i] = rng.nextGaussian();
        }
        case 1 -> d[i] = Math.floor(3 * rng.nextGaussian());
        case 2 -> {
          d[i] = 2;
          e[i] = 1;
        }
        case 3 -> {
          d[i] = Math.abs(i - (n - 1) / 2.0);
          e[i] = 1;
        }
        case 4 -> {
          d[i] = i % 3;
          e[i] = 1e-15 * rng.nextGaussian();
        }
        case 5 -> {
          d[i] = rng.nextGaussian();
          e[i] = i % 4 == 0 ? 0 : rng.nextGaussian();
        }
        default -> {
          d[i] = Math.pow(10, -12.0 * i / n);
          e[i] = 0.5 * Math.pow(10, -12.0 * i / n);
        }
      }
    }
    e[n - 1] = 0;
    return new double[][] {d, e};
  }

  @Property(tries = 60)
  void divideAndConquerMatchesTheDenseReference(@ForAll("sizes") int n, @ForAll @IntRange(min = 0, max = 6) int kind, @ForAll @IntRange(min = 2, max = 8) int leaf,
                                                @ForAll @IntRange(min = 0, max = 9999) int seed) {
    double[][] de = tridiagonal(kind, n, seed);
    double[] d = de[0], e = de[1];
    double[] values = new double[n];
    double[] z = assertDoesNotThrow(() -> TridiagonalEigen.solve(d, e, n, values, leaf), "divide and conquer failed (kind " + kind + ", n " + n + ")");
    double[] t = new double[n * n];
    for (int i = 0; i < n; i++) {
      t[i * n + i] = d[i];
      if (i + 1 < n) {
        t[i * n + i + 1] = e[i];
        t[(i + 1) * n + i] = e[i];
      }
    }
    SymmetricEigensolverTest.check(t, n, values, z, "tridiagonal kind " + kind + ", n " + n + ", leaf " + leaf);
  }

  /** argsort is the stable ascending order: ties (drawn from a few values) keep their index order. */
  @Property(tries = 100)
  void argsortIsTheStableAscendingOrder(@ForAll @IntRange(min = 0, max = 70) int n, @ForAll @IntRange(min = 1, max = 5) int distinct,
                                        @ForAll long seed) {
    Rng rng = new Rng(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = Math.floor(rng.nextDouble() * distinct) - 1.5;
    int[] expected = java.util.stream.IntStream.range(0, n).boxed()
        .sorted(java.util.Comparator.comparingDouble(i -> v[i])).mapToInt(Integer::intValue).toArray(); // List.sort is stable
    assertArrayEquals(expected, TridiagonalEigen.argsort(v));
  }
}
