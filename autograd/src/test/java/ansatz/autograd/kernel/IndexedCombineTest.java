package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexedCombine}: against a plain double-precision sum, the vector tiles against the
 * scalar twin (bitwise: the same fused multiply-adds in the same order), and the same bits with 1
 * and 2 threads. Feature counts around the vector width and its double (the tile), output counts
 * around the register block of 5, empty index lists, a sample offset and padded strides.
 */
class IndexedCombineTest {
  @Provide
  Arbitrary<Integer> features() {
    return Arbitraries.oneOf(Arbitraries.of(1, 7, 8, 9, 15, 16, 17, 31, 33), Arbitraries.integers().between(1, 70));
  }

  /** A random problem: w (wRows x d, stride ldw, offset wOff), coef, sorted random index lists per sample (some empty). */
  private record Case(int samples, int c, int d, int s0, int[] starts, int[] idx, float[] coef, float[] w, int wOff, int ldw, int wRows, float alpha,
                      int ldo) {
    static Case random(int samples, int c, int d, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      int wRows = 1 + r.nextInt(40), ldw = d + r.nextInt(3), wOff = r.nextInt(4), s0 = r.nextInt(3);
      float[] w = new float[wOff + wRows * ldw];
      for (int i = 0; i < w.length; i++) w[i] = (float) r.nextDouble(-1, 1);
      float[] coef = new float[wRows * c];
      for (int i = 0; i < coef.length; i++) coef[i] = (float) r.nextDouble(-2, 2);
      int[] starts = new int[s0 + samples + 1];
      int[] idx = new int[samples * wRows];
      int n = 0;
      for (int s = 0; s < s0 + samples; s++) {
        starts[s] = n;
        if (s < s0) continue;
        double density = r.nextInt(4) == 0 ? 0 : r.nextDouble();
        for (int a = 0; a < wRows; a++) if (r.nextDouble() < density) idx[n++] = a;
      }
      starts[s0 + samples] = n;
      return new Case(samples, c, d, s0, starts, idx, coef, w, wOff, ldw, wRows, (float) r.nextDouble(-3, 3), samples * c + r.nextInt(3));
    }

    float[] run() {
      float[] out = new float[(d - 1) * ldo + samples * c];
      IndexedCombine.rows(samples, c, starts, s0, idx, coef, IndexedCombine.pack(w, wOff, ldw, wRows, d), alpha, out, ldo);
      return out;
    }

    float[] scalar() {
      float[] out = new float[(d - 1) * ldo + samples * c];
      IndexedCombine.rowsScalar(samples, c, starts, s0, idx, coef, IndexedCombine.pack(w, wOff, ldw, wRows, d), alpha, out, ldo);
      return out;
    }
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(Runtime.getRuntime().availableProcessors());
  }

  @Property(tries = 80)
  void matchesAPlainSum(@ForAll @IntRange(min = 1, max = 6) int samples, @ForAll @IntRange(min = 1, max = 12) int c, @ForAll @From("features") int d,
                        @ForAll long seed) {
    Case k = Case.random(samples, c, d, seed);
    float[] out = k.run();
    for (int s = 0; s < samples; s++) {
      for (int o = 0; o < c; o++) {
        for (int j = 0; j < d; j++) {
          double want = 0, abs = 0;
          for (int p = k.starts[k.s0 + s]; p < k.starts[k.s0 + s + 1]; p++) {
            int a = k.idx[p];
            double term = (double) k.coef[a * c + o] * k.w[k.wOff + a * k.ldw + j];
            want += term;
            abs += Math.abs(term);
          }
          want *= k.alpha;
          assertEquals(want, out[j * k.ldo + s * c + o], 1e-6 * (1 + abs * Math.abs(k.alpha)), "sample " + s + ", output " + o + ", feature " + j);
        }
      }
    }
  }

  @Property(tries = 80)
  void vectorTilesEqualTheScalarTwinBitwise(@ForAll @IntRange(min = 1, max = 6) int samples, @ForAll @IntRange(min = 1, max = 12) int c,
                                            @ForAll @From("features") int d, @ForAll long seed) {
    Case k = Case.random(samples, c, d, seed);
    assertArrayEquals(k.scalar(), k.run());
  }

  @Property(tries = 20)
  void sameBitsWithOneAndTwoThreads(@ForAll @IntRange(min = 1, max = 6) int samples, @ForAll @IntRange(min = 1, max = 12) int c,
                                    @ForAll @IntRange(min = 1, max = 90) int d, @ForAll long seed) {
    Case k = Case.random(samples, c, d, seed);
    Parallel.setThreads(1);
    float[] one = k.run();
    Parallel.setThreads(2);
    assertArrayEquals(one, k.run());
  }

  @Test
  void badListsAndSizesAreNamed() {
    // 2 samples, c = 2, d = 3; w has 4 rows; sample 0 uses rows 0 and 2, sample 1 row 3.
    int[] starts = {0, 2, 3}, idx = {0, 2, 3}, badIdx = {0, 2, 4};
    float[] coef = new float[8], w = new float[12], out = new float[12];
    IndexedCombine.PackedRows packed = IndexedCombine.pack(w, 0, 3, 4, 3);
    IndexedCombine.rows(2, 2, starts, 0, idx, coef, packed, 1f, out, 4); // fits
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IndexedCombine.rows(2, 2, starts, 0, badIdx, coef, packed, 1f, out, 4));
    assertTrue(e.getMessage().contains("idx[2] = 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IndexedCombine.rows(2, 2, new int[2], 0, idx, coef, packed, 1f, out, 4));
    assertTrue(e.getMessage().contains("starts"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IndexedCombine.rows(2, 2, starts, 0, idx, coef, packed, 1f, new float[5], 4));
    assertTrue(e.getMessage().contains("out"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IndexedCombine.rows(2, 2, starts, 0, idx, new float[7], packed, 1f, out, 4));
    assertTrue(e.getMessage().contains("coef"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IndexedCombine.pack(new float[11], 0, 3, 4, 3));
    assertTrue(e.getMessage().contains("w ("), e.getMessage());
  }
}
