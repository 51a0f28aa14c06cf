package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @AfterContainer
  @AfterAll
  static void restoreThreads() {
    Parallel.setThreads(Runtime.getRuntime().availableProcessors());
  }

  /** On a serial thread the whole range is one chunk, run on that thread, whatever the thread count. */
  @Test
  void aSerialThreadRunsTheWholeRangeItself() throws Exception {
    Parallel.setThreads(4);
    java.util.List<String> chunks = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread t = Parallel.serialThread(() -> Parallel.forRange(1000, 1, (lo, hi) -> chunks.add(Thread.currentThread().getName() + " " + lo + ".." + hi)),
        "serial-test");
    t.start();
    t.join();
    assertEquals(java.util.List.of("serial-test 0..1000"), chunks);
    chunks.clear();
    Parallel.forRange(1000, 1, (lo, hi) -> chunks.add(lo + ".." + hi));
    assertTrue(chunks.size() > 1, "an ordinary caller still splits: " + chunks);
  }

  /** Every index is visited exactly once, in contiguous non-empty chunks. */
  @Property(tries = 60)
  void coversEachIndexOnce(@ForAll @IntRange(min = 0, max = 500) int n,
      @ForAll @IntRange(min = 0, max = 50) int grain, @ForAll @IntRange(min = 1, max = 4) int t) {
    Parallel.setThreads(t);
    AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
    Parallel.forRange(n, grain, (lo, hi) -> {
      assertTrue(lo < hi, "empty chunk " + lo + ".." + hi);
      for (int i = lo; i < hi; i++) {
        hits.incrementAndGet(i);
      }
    });
    for (int i = 0; i < n; i++) {
      assertEquals(1, hits.get(i), "index " + i);
    }
  }

  @Test
  void exceptionInAChunkIsRethrown() {
    Parallel.setThreads(2);
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException got = assertThrows(IllegalStateException.class,
        () -> Parallel.forRange(10, 1, (lo, hi) -> {
          if (lo > 0) {
            throw boom; // only the worker's chunk fails
          }
        }));
    assertSame(boom, got);
    // The pool still works afterwards.
    int[] sum = new int[1];
    Parallel.forRange(4, 1, (lo, hi) -> {
      synchronized (sum) {
        sum[0] += hi - lo;
      }
    });
    assertEquals(4, sum[0]);
  }

  @Test
  void nestedCallsRunSerially() {
    Parallel.setThreads(2);
    AtomicIntegerArray hits = new AtomicIntegerArray(100);
    Parallel.forRange(10, 1, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        int row = i;
        Parallel.forRange(10, 1, (l2, h2) -> {
          for (int j = l2; j < h2; j++) {
            hits.incrementAndGet(row * 10 + j);
          }
        });
      }
    });
    for (int i = 0; i < 100; i++) {
      assertEquals(1, hits.get(i));
    }
  }

  @Test
  void simdDescribeMatchesSwitch() {
    String d = Simd.describe();
    if (Simd.ENABLED) {
      assertTrue(d.matches("SIMD: Vector API, \\d+-bit \\(\\d+ float lanes\\)"), d);
      assertEquals(2 * Simd.doubleLanes(), Simd.floatLanes());
    } else {
      assertEquals("SIMD: disabled (scalar kernels)", d);
      assertEquals(1, Simd.floatLanes());
    }
  }
}
