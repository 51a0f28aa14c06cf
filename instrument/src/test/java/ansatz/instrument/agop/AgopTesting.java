package ansatz.instrument.agop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ansatz.autograd.Tensor;

/** Comparison helpers for the AGOP tests. */
final class AgopTesting {
  private AgopTesting() {}

  /** @return ||a - b||_F / ||b||_F (0 when both are exactly zero) */
  static double relativeError(Tensor a, Tensor b) {
    double[] x = a.toDoubleArray(), y = b.toDoubleArray();
    assertEquals(y.length, x.length, "sizes differ");
    double num = 0, den = 0;
    for (int i = 0; i < x.length; i++) {
      num += (x[i] - y[i]) * (x[i] - y[i]);
      den += y[i] * y[i];
    }
    if (den == 0) return num == 0 ? 0 : Double.POSITIVE_INFINITY;
    return Math.sqrt(num / den);
  }

  /** @return ||a||_F */
  static double frobenius(Tensor a) {
    double s = 0;
    for (double v : a.toDoubleArray()) s += v * v;
    return Math.sqrt(s);
  }

  /** Fails unless ||actual - expected||_F <= tol (shapes must match). */
  static void assertCloseAbs(Tensor actual, Tensor expected, double tol, String what) {
    if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
      fail(what + ": shape " + java.util.Arrays.toString(actual.shape()) + " != " + java.util.Arrays.toString(expected.shape()));
    }
    double e = frobenius(actual.toFloat64().sub(expected.toFloat64()));
    if (!(e <= tol)) fail(what + ": error " + e + " > " + tol);
  }

  static void assertClose(Tensor actual, Tensor expected, double relTol, String what) {
    if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
      fail(what + ": shape " + java.util.Arrays.toString(actual.shape()) + " != " + java.util.Arrays.toString(expected.shape()));
    }
    double e = relativeError(actual, expected);
    if (!(e <= relTol)) fail(what + ": relative error " + e + " > " + relTol);
  }
}
