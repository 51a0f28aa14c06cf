package ansatz.autograd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Argument checking and the BLAS conventions for degenerate calls. */
class GemmArgumentsTest {

  // A valid call: 2x3 times 3x4 into 2x4, all tight.
  private final float[] a = new float[6];
  private final float[] b = new float[12];
  private final float[] c = new float[8];

  private void call(boolean tA, boolean tB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    Gemm.sgemm(tA, tB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc);
  }

  private static void rejects(String argName, Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().startsWith(argName + " ") || x.getMessage().contains(argName + "="),
        "message should name " + argName + ": " + x.getMessage());
  }

  @Test
  void validCallPasses() {
    call(false, false, 2, 4, 3, a, 0, 3, b, 0, 4, c, 0, 4);
    call(true, true, 2, 4, 3, a, 0, 2, b, 0, 3, c, 0, 4);
  }

  @Test
  void negativeSizes() {
    rejects("m", () -> call(false, false, -1, 4, 3, a, 0, 3, b, 0, 4, c, 0, 4));
    rejects("n", () -> call(false, false, 2, -1, 3, a, 0, 3, b, 0, 4, c, 0, 4));
    rejects("k", () -> call(false, false, 2, 4, -1, a, 0, 3, b, 0, 4, c, 0, 4));
  }

  @Test
  void negativeOffsets() {
    rejects("aOff", () -> call(false, false, 2, 4, 3, a, -1, 3, b, 0, 4, c, 0, 4));
    rejects("bOff", () -> call(false, false, 2, 4, 3, a, 0, 3, b, -1, 4, c, 0, 4));
    rejects("cOff", () -> call(false, false, 2, 4, 3, a, 0, 3, b, 0, 4, c, -1, 4));
  }

  @Test
  void leadingDimensionsTooSmall() {
    rejects("lda", () -> call(false, false, 2, 4, 3, a, 0, 2, b, 0, 4, c, 0, 4));
    rejects("lda", () -> call(true, false, 2, 4, 3, a, 0, 1, b, 0, 4, c, 0, 4)); // stored 3x2
    rejects("ldb", () -> call(false, false, 2, 4, 3, a, 0, 3, b, 0, 3, c, 0, 4));
    rejects("ldb", () -> call(false, true, 2, 4, 3, a, 0, 3, b, 0, 2, c, 0, 4)); // stored 4x3
    rejects("ldc", () -> call(false, false, 2, 4, 3, a, 0, 3, b, 0, 4, c, 0, 3));
  }

  @Test
  void arraysTooSmallForOffsetAndLd() {
    rejects("a", () -> call(false, false, 2, 4, 3, a, 1, 3, b, 0, 4, c, 0, 4));
    rejects("a", () -> call(false, false, 2, 4, 3, a, 0, 4, b, 0, 4, c, 0, 4));
    rejects("b", () -> call(false, false, 2, 4, 3, a, 0, 3, b, 0, 5, c, 0, 4));
    rejects("c", () -> call(false, false, 2, 4, 3, a, 0, 3, b, 0, 4, c, 1, 4));
    rejects("a", () -> call(false, false, 2, 4, 3, null, 0, 3, b, 0, 4, c, 0, 4));
    // Offsets near Integer.MAX_VALUE must not overflow into a pass.
    rejects("c", () -> call(false, false, 2, 4, 3, a, 0, 3, b, 0, 4, c, Integer.MAX_VALUE - 2,
        Integer.MAX_VALUE / 2));
  }

  @Test
  void scalarTwinAndDoubleCheckTheSame() {
    rejects("lda", () -> GemmScalar.sgemm(false, false, 2, 4, 3, 1f, a, 0, 2, b, 0, 4, 0f, c, 0,
        4));
    double[] ad = new double[6], bd = new double[12], cd = new double[8];
    rejects("k", () -> Gemm.dgemm(false, false, 2, 4, -3, 1, ad, 0, 3, bd, 0, 4, 0, cd, 0, 4));
    rejects("b", () -> Gemm.dgemm(false, false, 2, 4, 3, 1, ad, 0, 3, bd, 1, 4, 0, cd, 0, 4));
    rejects("ldc", () -> GemmScalar.dgemm(false, false, 2, 4, 3, 1, ad, 0, 3, bd, 0, 4, 0, cd, 0,
        2));
  }

  @Test
  void emptyMatricesNeedNoStorage() {
    float[] none = new float[0];
    Gemm.sgemm(false, false, 0, 5, 5, 1f, none, 0, 0, new float[25], 0, 5, 0f, none, 0, 0);
    Gemm.sgemm(false, false, 5, 0, 5, 1f, new float[25], 0, 5, none, 0, 0, 0f, none, 0, 0);
  }

  @Test
  void kZeroOrAlphaZeroOnlyScalesC() {
    float[] cc = {1, 2, 3, 4};
    float[] nanA = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
    Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 2f, cc, 0, 2);
    assertArrayEquals(new float[] {2, 4, 6, 8}, cc);
    Gemm.sgemm(false, false, 2, 2, 2, 0f, nanA, 0, 2, nanA, 0, 2, 0.5f, cc, 0, 2);
    assertArrayEquals(new float[] {1, 2, 3, 4}, cc);
    float[] nanC = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
    Gemm.sgemm(false, false, 2, 2, 2, 0f, nanA, 0, 2, nanA, 0, 2, 0f, nanC, 0, 2);
    assertArrayEquals(new float[4], nanC);
  }

  @Test
  void smallKnownProduct() {
    // [1 2 3; 4 5 6] * [1 0; 0 1; 1 1] = [4 5; 10 11], then 2*that + 1*C.
    float[] am = {1, 2, 3, 4, 5, 6};
    float[] bm = {1, 0, 0, 1, 1, 1};
    float[] cm = {1, 1, 1, 1};
    Gemm.sgemm(false, false, 2, 2, 3, 2f, am, 0, 3, bm, 0, 2, 1f, cm, 0, 2);
    assertArrayEquals(new float[] {9, 11, 21, 23}, cm);
    double[] cd = new double[4];
    Gemm.dgemm(true, true, 2, 2, 3, 1, new double[] {1, 4, 2, 5, 3, 6}, 0, 2,
        new double[] {1, 0, 1, 0, 1, 1}, 0, 3, 0, cd, 0, 2);
    assertEquals("[4.0, 5.0, 10.0, 11.0]", Arrays.toString(cd));
  }
}
