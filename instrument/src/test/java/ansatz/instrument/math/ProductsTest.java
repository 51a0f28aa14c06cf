package ansatz.instrument.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ansatz.autograd.DType;
import ansatz.autograd.Rng;
import ansatz.autograd.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** {@link Products#congruence} against a plain triple loop, across the blocked (wide) and single-product (narrow) paths. */
class ProductsTest {
  @Property(tries = 8)
  void congruenceMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 17) int rows, @ForAll("cols") int cols, @ForAll long seed) {
    Rng rng = new Rng(seed);
    Tensor w = Tensor.randn(rng, DType.FLOAT64, rows, cols);
    Tensor b = Tensor.randn(rng, DType.FLOAT64, rows, rows);
    Tensor k = b.matmul(b.t());
    double scale = 0.7;
    double[] got = Products.congruence(w, k, scale).toDoubleArray();
    double[] wd = w.toDoubleArray(), kd = k.toDoubleArray();
    double max = 0;
    double[] want = new double[cols * cols], kw = new double[rows * cols]; // K W first, then W^T (K W), by plain loops
    for (int a = 0; a < rows; a++) for (int j = 0; j < cols; j++) for (int c = 0; c < rows; c++) kw[a * cols + j] += kd[a * rows + c] * wd[c * cols + j];
    for (int i = 0; i < cols; i++) {
      for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int a = 0; a < rows; a++) s += wd[a * cols + i] * kw[a * cols + j];
        want[i * cols + j] = scale * s;
        max = Math.max(max, Math.abs(want[i * cols + j]));
      }
    }
    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12 * Math.max(1, max), "entry " + i);
    for (int i = 0; i < cols; i++) for (int j = 0; j < i; j++) assertEquals(got[i * cols + j], got[j * cols + i], 0.0, "symmetry");
  }

  @Provide
  Arbitrary<Integer> cols() {
    return Arbitraries.of(1, 7, 8, 9, 15, 17, 513, 600, 769);
  }
}
