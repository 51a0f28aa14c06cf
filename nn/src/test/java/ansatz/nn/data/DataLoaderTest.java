package ansatz.nn.data;

import static org.junit.jupiter.api.Assertions.*;

import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
  /** Row i holds (i, 2i); label i mod 3. */
  private static Dataset indexed(int n) {
    float[] v = new float[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      v[2 * i] = i;
      v[2 * i + 1] = 2 * i;
      labels[i] = i % 3;
    }
    return Dataset.classification("idx", Tensor.wrap(v, n, 2), labels, 3);
  }

  private static List<int[]> epoch(DataLoader loader) {
    List<int[]> out = new ArrayList<>();
    for (Batch b : loader) out.add(b.indices());
    return out;
  }

  @Property(tries = 40)
  void everyIndexExactlyOncePerEpoch(@ForAll @IntRange(min = 1, max = 60) int n,
                                     @ForAll @IntRange(min = 1, max = 17) int batch,
                                     @ForAll boolean shuffle, @ForAll long seed) {
    DataLoader loader = new DataLoader(indexed(n), batch, shuffle, false, new Rng(seed));
    for (int e = 0; e < 2; e++) {
      int[] seen = new int[n];
      int batches = 0;
      for (Batch b : loader) {
        batches++;
        assertTrue(b.size() <= batch);
        for (int k = 0; k < b.size(); k++) {
          int i = b.indices()[k];
          seen[i]++;
          // the gathered rows, targets and labels belong to the reported index
          assertEquals(i, b.x().get(k, 0));
          assertEquals(2 * i, b.x().get(k, 1));
          assertEquals(i % 3, b.labels()[k]);
          assertEquals(1.0, b.y().get(k, i % 3));
        }
      }
      assertEquals(loader.batchesPerEpoch(), batches);
      for (int i = 0; i < n; i++) assertEquals(1, seen[i], "index " + i);
    }
  }

  @Property(tries = 40)
  void dropLastGivesOnlyFullBatches(@ForAll @IntRange(min = 1, max = 60) int n,
                                    @ForAll @IntRange(min = 1, max = 17) int batch) {
    DataLoader loader = new DataLoader(indexed(n), batch, true, true, new Rng(7));
    List<int[]> batches = epoch(loader);
    assertEquals(n / batch, batches.size());
    for (int[] b : batches) assertEquals(batch, b.length);
    int[] all = batches.stream().flatMapToInt(Arrays::stream).toArray();
    assertEquals(all.length, Arrays.stream(all).distinct().count(), "no index repeats");
  }

  @Test
  void lastBatchIsSmallerWithoutDropLast() {
    List<int[]> batches = epoch(new DataLoader(indexed(10), 4, false, false, null));
    assertEquals(3, batches.size());
    assertArrayEquals(new int[] {8, 9}, batches.get(2));
    assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
  }

  @Test
  void sameSeedSameOrderAndEpochsDiffer() {
    DataLoader a = new DataLoader(indexed(50), 8, true, false, new Rng(42));
    DataLoader b = new DataLoader(indexed(50), 8, true, false, new Rng(42));
    List<int[]> a1 = epoch(a), b1 = epoch(b), a2 = epoch(a), b2 = epoch(b);
    for (int i = 0; i < a1.size(); i++) {
      assertArrayEquals(a1.get(i), b1.get(i));
      assertArrayEquals(a2.get(i), b2.get(i));
    }
    int[] flat1 = a1.stream().flatMapToInt(Arrays::stream).toArray();
    int[] flat2 = a2.stream().flatMapToInt(Arrays::stream).toArray();
    assertFalse(Arrays.equals(flat1, flat2), "a new permutation each epoch");
  }

  @Test
  void rngStateResumesTheExactFutureOrder() {
    DataLoader a = new DataLoader(indexed(30), 7, true, false, new Rng(3));
    epoch(a);
    long[] saved = a.rng().state();
    List<int[]> expected = epoch(a);
    DataLoader resumed = new DataLoader(indexed(30), 7, true, false, Rng.fromState(saved));
    List<int[]> got = epoch(resumed);
    for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i));
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new DataLoader(indexed(3), 0, false, false, null));
    assertThrows(IllegalArgumentException.class, () -> new DataLoader(indexed(3), 2, true, false, null));
  }

  @Test
  void fullBatchHoldsEverythingInOrder() {
    List<int[]> batches = epoch(DataLoader.fullBatch(indexed(5)));
    assertEquals(1, batches.size());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, batches.get(0));
  }
}
