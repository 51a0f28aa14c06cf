package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Results must be bitwise identical for 1 and 2 threads and from call to call. The shapes are
 * chosen to hit every way the kernels split work: rows of the blocked path, columns of the
 * blocked path (short, wide C), the unpacked small path over rows (where the split also
 * changes which rows are grouped into 4-row tiles), several KC blocks over k, and edge tiles
 * that land on different threads depending on the split.
 */
class GemmDeterminismTest {

  // Tasks are made tiny (see splitSmallProblems) so that these modest shapes split into many
  // dynamically claimed units.
  private static final int[][] SHAPES = {
    {70, 90, 600}, // blocked, row split, three k blocks, edge tiles in m and n
    {8, 700, 100}, // blocked, C too short to split rows: column split
    {3, 300, 200}, // small path (m <= MR), parallel over rows
    {301, 13, 100}, // small path, direct tiles: padded column tail, 4-row groups cut by split
    {200, 5, 100}, // small path (n < one vector), dot form
    {13, 4113, 9}, // blocked, two NC panels
    {1, 1, 3000}, // matrix-vector dot
  };

  // Both engines run this class: jqwik (properties) and Jupiter (tests).
  @BeforeContainer
  @BeforeAll
  static void splitSmallProblems() {
    Parallel.setMinTaskFlops(1 << 12);
  }

  @AfterContainer
  @AfterAll
  static void restore() {
    Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    Parallel.setMinTaskFlops(Parallel.DEFAULT_MIN_TASK_FLOPS);
  }

  @Test
  void sgemmBitwiseSameFor1And2Threads() {
    for (int[] s : SHAPES) {
      for (int t = 0; t < 4; t++) {
        GemmCase g = GemmCase.random((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 42 + t);
        float[] a = g.aF(), b = g.bF();
        float[] c1 = runS(g, a, b, 1), c2 = runS(g, a, b, 2), c2again = runS(g, a, b, 2);
        assertSameBits(c1, c2, g + " 1 vs 2 threads");
        assertSameBits(c2, c2again, g + " run to run");
      }
    }
  }

  @Test
  void dgemmBitwiseSameFor1And2Threads() {
    for (int[] s : SHAPES) {
      for (int t = 0; t < 4; t += 3) { // no transposes and both: same packing code as sgemm
        GemmCase g = GemmCase.random((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 7 + t);
        double[] c1 = runD(g, 1), c2 = runD(g, 2);
        for (int x = 0; x < c1.length; x++) {
          if (Double.doubleToRawLongBits(c1[x]) != Double.doubleToRawLongBits(c2[x])) {
            fail(g + ": c[" + x + "] " + c1[x] + " (1 thread) vs " + c2[x] + " (2 threads)");
          }
        }
      }
    }
  }

  /** Random shapes around the tile and block sizes, 1 vs 2 threads. */
  @Property(tries = 40)
  void randomShapesBitwiseSame(@ForAll boolean transA, @ForAll boolean transB,
      @ForAll @IntRange(min = 1, max = 200) int m, @ForAll @IntRange(min = 1, max = 200) int n,
      @ForAll @IntRange(min = 1, max = 600) int k, @ForAll long seed) {
    GemmCase g = GemmCase.random(transA, transB, m, n, k, seed);
    float[] a = g.aF(), b = g.bF();
    assertSameBits(runS(g, a, b, 1), runS(g, a, b, 2), g.toString());
  }

  /** Guards the test itself: the shapes above must really produce work for both threads. */
  @Test
  void twoThreadsAreReallyUsed() {
    Parallel.setThreads(2);
    java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Parallel.forRange(2, 1, (lo, hi) -> {
      seen.add(Thread.currentThread());
      long end = System.nanoTime() + 2_000_000;
      while (System.nanoTime() < end) {
        Thread.onSpinWait(); // keep the chunk alive long enough for the worker to start
      }
    });
    assertTrue(seen.size() == 2, "expected 2 threads, saw " + seen.size());
  }

  private static float[] runS(GemmCase g, float[] a, float[] b, int threads) {
    Parallel.setThreads(threads);
    float[] c = g.cF();
    g.sgemm(a, b, c);
    return c;
  }

  private static double[] runD(GemmCase g, int threads) {
    Parallel.setThreads(threads);
    double[] c = g.c().clone();
    g.dgemm(c);
    return c;
  }

  private static void assertSameBits(float[] x, float[] y, String what) {
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
        fail(what + ": c[" + i + "] " + x[i] + " vs " + y[i]);
      }
    }
  }
}
