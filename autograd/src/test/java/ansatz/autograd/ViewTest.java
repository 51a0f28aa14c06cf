package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * Views share storage and copy nothing: a write through the base shows in the view. Random chains
 * of views are checked in {@link ViewChainPropertiesTest}.
 */
class ViewTest {
  /** [2, 3, 4] holding 0..23. */
  private static Tensor base() {
    return Tensor.arange(0, 24, 1, DType.FLOAT64).reshape(2, 3, 4);
  }

  /** Writes 100 + old value at base[i, j, k] (not recorded: the base needs no grad). */
  private static void poke(Tensor base, int i, int j, int k) {
    base.set(100 + base.get(i, j, k), i, j, k);
  }

  @Test
  void reshapeOfContiguousIsAView() {
    Tensor b = base();
    Tensor v = b.reshape(6, 4);
    assertSame(b.storage(), v.storage());
    assertArrayEquals(new int[] {4, 1}, v.strides());
    assertEquals(0, v.offset());
    poke(b, 1, 2, 3);
    assertEquals(123, v.get(5, 3));
    Tensor f = b.flatten();
    assertSame(b.storage(), f.storage());
    assertEquals(123, f.get(23));
  }

  @Test
  void permuteAndTransposeAreViews() {
    Tensor b = base();
    Tensor p = b.permute(2, 0, 1);
    assertSame(b.storage(), p.storage());
    assertArrayEquals(new int[] {4, 2, 3}, p.shape());
    assertArrayEquals(new int[] {1, 12, 4}, p.strides());
    poke(b, 1, 0, 2);
    assertEquals(114, p.get(2, 1, 0));
    Tensor t = b.transpose(0, 2);
    assertSame(b.storage(), t.storage());
    assertEquals(114, t.get(2, 0, 1));
  }

  @Test
  void expandIsAViewWithStrideZero() {
    Tensor row = Tensor.arange(0, 4, 1, DType.FLOAT64).reshape(1, 4);
    Tensor e = row.expand(3, 4);
    assertSame(row.storage(), e.storage());
    assertArrayEquals(new int[] {0, 1}, e.strides());
    Tensor e3 = row.expand(5, 3, 4);
    assertArrayEquals(new int[] {0, 0, 1}, e3.strides());
    row.set(42, 0, 2);
    for (int i = 0; i < 3; i++) assertEquals(42, e.get(i, 2));
    assertEquals(42, e3.get(4, 1, 2));
  }

  @Test
  void narrowIsAViewWithAnOffset() {
    Tensor b = base();
    Tensor n = b.narrow(2, 1, 2);
    assertSame(b.storage(), n.storage());
    assertEquals(1, n.offset());
    assertArrayEquals(b.strides(), n.strides());
    Tensor n0 = b.narrow(1, 1, 2);
    assertEquals(4, n0.offset());
    poke(b, 1, 2, 2);
    assertEquals(122, n.get(1, 2, 1));
    assertEquals(122, n0.get(1, 1, 2));
  }

  @Test
  void selectSqueezeAndUnsqueezeAreViewsEvenOfStridedTensors() {
    Tensor b = base();
    Tensor s = b.select(2, 1); // [2, 3], strides [12, 4]
    assertSame(b.storage(), s.storage());
    assertArrayEquals(new int[] {12, 4}, s.strides());
    Tensor u = b.transpose(0, 2).unsqueeze(1); // [4, 1, 3, 2]
    assertSame(b.storage(), u.storage());
    assertSame(b.storage(), u.squeeze(1).storage());
    poke(b, 1, 2, 1);
    assertEquals(121, s.get(1, 2));
    assertEquals(121, u.get(1, 0, 2, 1));
  }

  @Test
  void reshapeOfNonContiguousCopiesAndGivesRowMajorValues() {
    Tensor b = base();
    Tensor t = b.transpose(1, 2); // [2, 4, 3]
    Tensor r = t.reshape(8, 3);
    assertNotSame(b.storage(), r.storage());
    double[] expected = new double[24];
    for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 3; k++) expected[(i * 4 + j) * 3 + k] = 12 * i + 4 * k + j;
    assertArrayEquals(expected, r.toDoubleArray());
  }

  @Test
  void contiguousOfAContiguousTensorIsItselfAndOfAViewACopy() {
    Tensor b = base();
    assertSame(b, b.contiguous());
    Tensor c = b.permute(1, 0, 2).contiguous();
    assertNotSame(b.storage(), c.storage());
    assertEquals(b.get(1, 2, 3), c.get(2, 1, 3));
  }
}
