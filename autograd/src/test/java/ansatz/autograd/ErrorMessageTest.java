package ansatz.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails at once with a message that names the op and the shapes or index involved. */
class ErrorMessageTest {
  private static void assertMessage(Class<? extends Throwable> type, Executable bad, String... parts) {
    Throwable e = assertThrows(type, bad);
    for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
  }

  @Test
  void addNamesOpAndBothShapes() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)), "add", "[2, 3]", "[4]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).mul(Tensor.zeros(3, 2)), "mul", "[2, 3]", "[3, 2]");
  }

  @Test
  void matmulNamesOpAndBothShapes() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4, 5)), "matmul", "[3]", "[4, 5]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4)), "matmul", "[2, 3]", "[4]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 4)), "matmul", "[2, 2, 3]", "[3, 3, 4]");
  }

  @Test
  void concatNamesOpAndBothShapes() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)), "concat", "[2, 3]", "[2, 4]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.stack(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)), "stack", "[2, 3]", "[2, 4]");
  }

  @Test
  void reshapeNamesOpAndBothShapes() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(-1, 4), "reshape", "[2, 3]", "[-1, 4]");
  }

  @Test
  void expandNamesOpAndBothShapes() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).expand(2, 4), "expand", "[2, 3]", "[2, 4]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(3, 1).expand(3, -2), "expand", "-2", "[3, -2]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(3).expand(2), "expand", "[3]", "[2]");
  }

  @Test
  void whereNamesOpAndAllShapes() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(4)), "where", "[2, 3]", "[4]");
    assertMessage(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(5), Tensor.zeros(2, 3), Tensor.zeros(3)), "where", "[5]", "[2, 3]", "[3]");
  }

  @Test
  void badIndexNamesIndexAndShape() {
    Tensor t = Tensor.zeros(2, 3);
    assertMessage(IndexOutOfBoundsException.class, () -> t.get(1, 3), "[1, 3]", "[2, 3]");
    assertMessage(IndexOutOfBoundsException.class, () -> t.get(-3, 0), "[-3, 0]", "[2, 3]");
    assertMessage(IllegalArgumentException.class, () -> t.get(1), "[1]", "[2, 3]");
    assertMessage(IndexOutOfBoundsException.class, () -> t.indexSelect(1, 0, 3), "indexSelect", "index 3", "[2, 3]");
    assertMessage(IndexOutOfBoundsException.class, () -> t.indexSelect(0, -1), "indexSelect", "-1", "[2, 3]");
    assertMessage(IndexOutOfBoundsException.class, () -> t.narrow(1, 2, 2), "narrow", "[2, 4)", "[2, 3]");
    assertMessage(IndexOutOfBoundsException.class, () -> t.select(0, 2), "select", "index 2", "[2, 3]");
    assertMessage(IndexOutOfBoundsException.class, () -> t.select(1, -4), "select", "index -4", "[2, 3]");
    assertMessage(IllegalArgumentException.class, () -> t.sum(2, false), "sum", "axis 2", "rank 2");
    assertMessage(IllegalArgumentException.class, () -> t.permute(0, 0), "permute", "repeated");
    assertMessage(IllegalArgumentException.class, () -> Tensor.oneHot(new int[] {0, 5}, 3, DType.FLOAT32), "oneHot", "label 5", "row 1");
  }

  @Test
  void toStringShowsShapeTypeAndValues() {
    String s = Tensor.of(new float[] {1.5f, -2.25f, 3, 4}, 2, 2).toString();
    assertTrue(s.contains("shape=[2, 2]") && s.contains("float32") && s.contains("1.5000") && s.contains("-2.2500"), s);
    String d = Tensor.arange(0, 3, 1, DType.FLOAT64).toString();
    assertTrue(d.contains("float64") && d.contains("0.") && d.contains("2.") && d.contains("shape=[3]"), d);
    String g = Tensor.of(1.0, 2.0).requiresGrad(true).exp().toString();
    assertTrue(g.contains("grad_fn=exp"), g);
    String scalar = Tensor.scalar(0.25, DType.FLOAT64).toString();
    assertTrue(scalar.contains("0.2500") && scalar.contains("shape=[]"), scalar);
  }

  @Test
  void toStringElidesLargeTensors() {
    Tensor big = Tensor.arange(0, 1000, 1, DType.FLOAT32).reshape(10, 100);
    String s = big.toString();
    assertTrue(s.contains("...") && s.contains("shape=[10, 100]") && s.contains("999."), s);
    assertTrue(s.length() < 400, "a 1000-element tensor prints a few values, not all: " + s.length() + " chars");
    assertTrue(!s.contains("500."), "middle values are elided: " + s);
    String t = big.t().toString(); // non-contiguous view prints its own order
    assertTrue(t.contains("shape=[100, 10]") && t.startsWith("tensor([[0., 100., 200., ..."), t);
  }
}
