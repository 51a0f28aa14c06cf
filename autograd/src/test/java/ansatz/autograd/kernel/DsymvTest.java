package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Dsymv}: against a plain full matrix-vector product (the upper triangle holds NaN, so a
 * read of it shows), its vector rows against the scalar twin (the off-row updates bitwise, the
 * row dot products to rounding), and the same bits with 1 and 2 threads.
 */
class DsymvTest {
  @Provide
  Arbitrary<Integer> size() {
    return Arbitraries.oneOf(Arbitraries.of(1, 7, 8, 9, 15, 17, 64, 130), Arbitraries.integers().between(1, 90));
  }

  /** A padded lda x lda matrix holding a symmetric n x n one at off: the lower triangle set, the upper NaN. */
  private static double[] lowerOnly(SplittableRandom r, int n, int lda, int off, double[] full) {
    double[] a = new double[off + n * lda];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (j <= i) {
          double v = r.nextDouble(-1, 1);
          full[i * n + j] = v;
          full[j * n + i] = v;
          a[off + i * lda + j] = v;
        } else {
          a[off + i * lda + j] = Double.NaN;
        }
      }
    }
    return a;
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(Runtime.getRuntime().availableProcessors());
  }

  @Property(tries = 60)
  void equalsTheFullProductReadingOnlyTheLowerTriangle(@ForAll @From("size") int n, @ForAll @IntRange(min = 0, max = 4) int pad, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int lda = n + pad, off = pad;
    double[] full = new double[n * n];
    double[] a = lowerOnly(r, n, lda, off, full);
    double[] x = new double[n + 2];
    for (int i = 0; i < n; i++) x[2 + i] = r.nextDouble(-1, 1);
    double[] y = new double[n + 1];
    Dsymv.lower(n, a, off, lda, x, 2, y, 1, new double[Dsymv.workSize(n)]);
    assertEquals(0.0, y[0], "nothing written before yo");
    for (int i = 0; i < n; i++) {
      double want = 0, abs = 0;
      for (int j = 0; j < n; j++) {
        want += full[i * n + j] * x[2 + j];
        abs += Math.abs(full[i * n + j] * x[2 + j]);
      }
      assertEquals(want, y[1 + i], 4e-16 * n * abs + Double.MIN_NORMAL, "row " + i);
    }
  }

  @Property(tries = 40)
  void vectorRowsMatchTheScalarTwin(@ForAll @From("size") int n, @ForAll long seed) {
    Assume.that(Simd.ENABLED);
    SplittableRandom r = new SplittableRandom(seed);
    double[] full = new double[n * n];
    double[] a = lowerOnly(r, n, n, 0, full);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = r.nextDouble(-1, 1);
    int r0 = r.nextInt(n), r1 = r0 + 1 + r.nextInt(n - r0);
    double[] yv = new double[n], ys = new double[n], pv = new double[n], ps = new double[n];
    for (int j = 0; j < n; j++) pv[j] = ps[j] = r.nextDouble(-1, 1);
    Dsymv.Vector.rows(r0, r1, a, 0, n, x, 0, yv, 0, pv, 0);
    Dsymv.rowsScalar(r0, r1, a, 0, n, x, 0, ys, 0, ps, 0);
    assertArrayEquals(ps, pv, 0.0, "the off-row updates: the same fused multiply-adds in the same order");
    for (int i = r0; i < r1; i++) {
      double abs = 0;
      for (int j = 0; j <= i; j++) abs += Math.abs(full[i * n + j] * x[j]);
      assertEquals(ys[i], yv[i], 4e-16 * (i + 1) * abs + Double.MIN_NORMAL, "row dot " + i);
      assertEquals(laneOrderDot(a, i * n, x, i), yv[i], 0.0, "row dot " + i + " in its fixed order");
    }
  }

  @Test
  void theRowDotKeepsItsOrderOnceCompiled() {
    // Enough calls for the JIT to compile the kernel: the order must not change when it does.
    Assumptions.assumeTrue(Simd.ENABLED);
    SplittableRandom r = new SplittableRandom(11);
    int n = 61;
    double[] full = new double[n * n];
    double[] a = lowerOnly(r, n, n, 0, full);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = r.nextDouble(-1, 1);
    double[] want = new double[n];
    for (int i = 0; i < n; i++) want[i] = laneOrderDot(a, i * n, x, i);
    double[] y = new double[n], p = new double[n];
    for (int call = 0; call < 20_000; call++) {
      Dsymv.Vector.rows(0, n, a, 0, n, x, 0, y, 0, p, 0);
      if (!java.util.Arrays.equals(want, y)) assertArrayEquals(want, y, 0.0, "call " + call);
    }
  }

  /**
   * The vector twin's row dot product, spelled out: a fused multiply-add chain per lane, the lanes
   * added left to right, then the scalar tail and the diagonal. Bitwise equality with it pins the
   * order, so the result cannot depend on whether the JIT has compiled the kernel yet.
   */
  static double laneOrderDot(double[] a, int row, double[] x, int i) {
    int step = Simd.doubleLanes(), end = i - i % step;
    double[] acc = new double[step];
    for (int j = 0; j < end; j++) acc[j % step] = Math.fma(a[row + j], x[j], acc[j % step]);
    double dot = 0;
    for (double v : acc) dot += v;
    for (int j = end; j < i; j++) dot = Math.fma(a[row + j], x[j], dot);
    return Math.fma(a[row + i], x[i], dot);
  }

  @Property(tries = 20)
  void theThreadCountDoesNotChangeABit(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = lowerOnly(r, n, n, 0, new double[n * n]);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = r.nextDouble(-1, 1);
    double[] one = new double[n], two = new double[n];
    Parallel.setThreads(1);
    Dsymv.lower(n, a, 0, n, x, 0, one, 0, new double[Dsymv.workSize(n)]);
    Parallel.setThreads(2);
    Dsymv.lower(n, a, 0, n, x, 0, two, 0, new double[Dsymv.workSize(n)]);
    assertArrayEquals(one, two, 0.0);
  }

  @Test
  void blocksCoverTheRowsInOrder() {
    for (int n : new int[] {1, 2, 7, 8, 9, 100, 1024}) {
      int[] s = Dsymv.blockStarts(n);
      assertEquals(0, s[0]);
      assertEquals(n, s[Dsymv.BLOCKS]);
      for (int b = 0; b < Dsymv.BLOCKS; b++) assertTrue(s[b] <= s[b + 1], "n = " + n);
    }
  }

  @Test
  void arraysTooSmallAreAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dsymv.lower(4, new double[15], 0, 4, new double[4], 0, new double[4], 0, new double[Dsymv.workSize(4)]));
    assertTrue(e.getMessage().contains("Dsymv.lower"), e.getMessage());
  }
}
