package ansatz.docs.tutorial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ansatz.autograd.DType;
import ansatz.autograd.Tensor;
import ansatz.docs.Samples;
import org.junit.jupiter.api.Test;

/** Runs the samples of docs/tutorial/01-tensors.md and checks what they compute. */
class TensorsTest {
  @Test
  void create() {
    Tensor x = Samples.run(Tensors.class, "create").as();
    assertArrayEquals(new int[] {2, 3}, x.shape());
    assertEquals(6.0, x.get(1, 2));
    assertEquals(2.0, x.get(0, 1));
  }

  @Test
  void viewsShareStorage() {
    Tensor[] v = Samples.run(Tensors.class, "views").as();
    Tensor x = v[0], xt = v[1], row = v[2], firstTwo = v[3];
    assertSame(x.storage(), xt.storage());
    assertSame(x.storage(), row.storage());
    assertFalse(xt.isContiguous());
    assertEquals(5.0, xt.get(2, 1));                       // x[1, 2]
    assertArrayEquals(new float[] {3, 4, 5}, row.toFloatArray());
    assertArrayEquals(new float[] {0, 1, 3, 4}, firstTwo.toFloatArray());
  }

  @Test
  void broadcastAddsEveryPair() {
    Tensor sum = Samples.run(Tensors.class, "broadcast").as();
    assertArrayEquals(new int[] {3, 2}, sum.shape());
    float[] col = {0, 10, 20}, row = {1, 2};
    for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) assertEquals(col[i] + row[j], sum.get(i, j));
  }

  @Test
  void broadcastErrorNamesOpAndShapes() {
    Samples.Run r = Samples.run(Tensors.class, "broadcastError");
    assertTrue(r.printed().contains("add: shapes [2, 3] and [2] do not broadcast"), r.printed());
  }

  @Test
  void reductions() {
    Tensor[] t = Samples.run(Tensors.class, "reductions").as();
    assertEquals(21.0, t[0].item());
    assertArrayEquals(new float[] {5, 7, 9}, t[1].toFloatArray());
    assertArrayEquals(new int[] {2, 1}, t[2].shape());
    assertArrayEquals(new float[] {2, 5}, t[2].toFloatArray());
    assertArrayEquals(new float[] {-1, 0, 1, -1, 0, 1}, t[3].toFloatArray());
  }

  @Test
  void batchedMatmulEqualsLoops() {
    Tensor[] t = Samples.run(Tensors.class, "matmul").as();
    Tensor batch = t[0], w = t[1], y = t[2];
    assertArrayEquals(new int[] {4, 5, 2}, y.shape());
    for (int b = 0; b < 4; b++) {
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 2; j++) {
          double s = 0;
          for (int k = 0; k < 3; k++) s += batch.get(b, i, k) * w.get(j, k);
          assertEquals(s, y.get(b, i, j), 1e-5);
        }
      }
    }
    assertTrue(Samples.run(Tensors.class, "matmul").printed().contains("agrees: true"));
  }

  @Test
  void mixedTypesPromote() {
    Tensor mixed = Samples.run(Tensors.class, "dtypes").as();
    assertEquals(DType.FLOAT64, mixed.dtype());
    assertEquals((float) (1.0 / 3) + 1.0 / 3, mixed.get(0), 1e-15);
  }
}
