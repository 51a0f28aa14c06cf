package ansatz.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.Tensor;

/** Small assertions shared by the nn tests. */
public final class TestUtil {
  private TestUtil() {}

  /** Asserts equal shapes and values within {@code tol} (absolute, scaled by max(1, |expected|)). */
  public static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), what + ": element " + i);
    }
  }
}
